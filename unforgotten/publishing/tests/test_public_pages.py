"""The public pages: home, profile and country, in every language, readable with JavaScript off."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from unforgotten.core.partialdate import PartialDate, days_between
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.tests.conftest import LANGUAGES, publish, publish_everywhere
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.testing import make_sample

SLUG_URL = "/{lang}/prisoners/{slug}/"


def _get(path: str) -> Any:
    return Client().get(path)


@pytest.mark.django_db
def test_it_shows_a_published_profile_in_every_language_with_its_direction(cast: Any) -> None:
    sample = make_sample(cast)
    publish_everywhere(sample.person_a, cast)
    for lang in LANGUAGES:
        response = _get(SLUG_URL.format(lang=lang, slug=sample.person_a.slug))
        assert response.status_code == 200, lang
        body = response.content.decode()
        direction = "rtl" if lang in ("ar", "fa") else "ltr"
        assert f'<html lang="{lang}" dir="{direction}">' in body
        assert "Maryia Kalesnikava" in body
        assert f"She sang for freedom. [{lang}]" in body
        # Every language of the profile is offered, with hreflang links for search engines.
        for other in LANGUAGES:
            assert f'hreflang="{other}" href="{settings.SITE_URL}/{other}/prisoners/{sample.person_a.slug}/"' in body
        assert 'hreflang="x-default"' in body


@pytest.mark.django_db
def test_it_shows_names_in_their_own_scripts_with_language_and_direction(cast: Any) -> None:
    sample = make_sample(cast)
    registry_actions.do_set_names(person=sample.person_a, names=[
        registry_actions.NameInput("Maryia Kalesnikava", "Latn", "en", "legal", True),
        registry_actions.NameInput("Марыя Калеснікава", "Cyrl", "be", "legal"),
        registry_actions.NameInput("ماريا كاليسنيكافا", "Arab", "ar", "transliteration")],
        acting_user=cast.dana)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    body = _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).content.decode()
    assert '<bdi lang="be" dir="ltr">Марыя Калеснікава</bdi>' in body
    assert '<bdi lang="ar" dir="rtl">ماريا كاليسنيكافا</bdi>' in body


@pytest.mark.django_db
def test_it_counts_days_behind_bars_as_at_least_when_the_start_is_partial(cast: Any) -> None:
    sample = make_sample(cast)  # detained "in September 2020": only a minimum is honest
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    today = timezone.localdate()
    days = days_between(PartialDate(2020, 9), today)
    assert days.qualifier == "at_least"
    english = _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).content.decode()
    assert f"At least {days.minimum:,} days behind bars" in english
    assert f"as of {fmt.day(today, 'en')}" in english
    arabic = _get(SLUG_URL.format(lang="ar", slug=sample.person_a.slug)).content.decode()
    assert f"ما لا يقل عن {fmt.number(days.minimum, 'ar')}" in arabic


@pytest.mark.django_db
def test_it_counts_exact_days_when_the_start_day_is_known(cast: Any) -> None:
    sample = make_sample(cast)
    registry_actions.do_update_detention(detention=sample.detention_a, data={"start": PartialDate(2020, 9, 7)},
                                         acting_user=cast.dana)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    body = _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).content.decode()
    days = days_between(PartialDate(2020, 9, 7), timezone.localdate())
    assert f"<strong>{days.minimum:,} days behind bars</strong>" in body
    assert "At least" not in body


@pytest.mark.django_db
def test_it_shows_charges_sentence_timeline_and_where_held(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    body = _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).content.decode()
    assert ("<bdi>Criminal Code</bdi>, article <bdi>342</bdi>, part <bdi>1</bdi>"
            " (<bdi>Organisation of actions grossly violating public order</bdi>)") in body
    assert "Convicted" in body
    assert "Imprisonment, 11 years" in body
    assert '<time datetime="2021-09-06">September 6, 2021</time>' in body
    assert "Penal Colony No. 3" in body and "Vitebsk region" in body
    assert "Political prisoner" in body
    # The timeline runs in date order: detained (Sept. 2020) before sentenced (Sept. 2021).
    assert body.index("Serving a sentence began") < body.index("Sentenced: Imprisonment")
    # No consent to be written to: the prison's address is not printed beside the person.
    assert "PO Box 3" not in body and "How to write" not in body


@pytest.mark.django_db
def test_it_shows_how_to_write_only_with_contact_consent(cast: Any) -> None:
    sample = make_sample(cast)
    registry_actions.do_record_consent(person=sample.person_a, data={
        "scope": "contact", "given_by": "sister", "given_on": timezone.localdate()}, acting_user=cast.dana)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    body = _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).content.decode()
    assert "How to write" in body and "PO Box 3, Vitebsk" in body


@pytest.mark.django_db
def test_it_translates_the_interface_and_formats_dates_through_babel(cast: Any) -> None:
    sample = make_sample(cast)
    publish_everywhere(sample.person_a, cast)
    expected = {"ar": ("التسلسل الزمني", "السجن"), "fa": ("گاه‌شمار", "حبس"), "ru": ("Хронология", "Лишение свободы"),
                "es": ("Cronología", "Prisión"), "fr": ("Chronologie", "Emprisonnement"), "zh-hans": ("时间线", "监禁")}
    for lang, words in expected.items():
        body = _get(SLUG_URL.format(lang=lang, slug=sample.person_a.slug)).content.decode()
        for word in words:
            assert word in body, (lang, word)
        assert fmt.partial(PartialDate(2021, 9, 6), lang) in body, lang
        assert "Timeline" not in body, lang


@pytest.mark.django_db
def test_it_lists_featured_people_and_counts_on_the_home_page(cast: Any) -> None:
    sample = make_sample(cast)
    publish_everywhere(sample.person_a, cast)
    body = _get("/en/").content.decode()
    assert "Maryia Kalesnikava" in body
    assert f'href="/en/prisoners/{sample.person_a.slug}/"' in body
    assert "1 person on this site" in body and "1 held now" in body
    assert f"as of {fmt.day(timezone.localdate(), 'en')}" in body
    assert 'href="/en/countries/by/"' in body
    russian = _get("/ru/").content.decode()
    assert "1 человек на этом сайте" in russian


@pytest.mark.django_db
def test_it_shows_a_country_page_with_counts(cast: Any) -> None:
    sample = make_sample(cast)
    publish_everywhere(sample.person_a, cast)
    response = _get("/en/countries/by/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Belarus</h1>" in body and "Maryia Kalesnikava" in body and "1 held now" in body
    assert "<h1>Беларусь</h1>" in _get("/ru/countries/by/").content.decode()
    assert _get("/en/countries/am/").status_code == 404  # nobody published there
    assert _get("/en/countries/zz/").status_code == 404
    assert _get("/en/countries/BY/").status_code == 404  # one address per page


@pytest.mark.django_db
def test_it_does_not_show_a_person_who_was_never_published(cast: Any) -> None:
    sample = make_sample(cast)  # consents recorded, but no profile: existing in a registry is not being public
    assert _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).status_code == 404
    assert "Maryia" not in _get("/en/").content.decode()


@pytest.mark.django_db
def test_it_shows_a_profile_only_in_the_languages_it_was_published_in(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    assert _get(SLUG_URL.format(lang="ar", slug=sample.person_a.slug)).status_code == 200
    assert _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).status_code == 404
    body = _get(SLUG_URL.format(lang="ar", slug=sample.person_a.slug)).content.decode()
    # The switcher sends other languages to their home page rather than to a missing page.
    assert re.search(r'<a href="/en/" hreflang="en"', body)


@pytest.mark.django_db
def test_it_offers_every_language_at_the_bare_address(cast: Any) -> None:
    body = _get("/").content.decode()
    for code, name in settings.LANGUAGES:
        assert f'<a href="/{code}/" hreflang="{code}" lang="{code}"' in body and name in body


@pytest.mark.django_db
def test_it_keeps_the_address_from_other_hosts_but_lets_our_own_forms_post(cast: Any) -> None:
    # issue 6 (decision 0022): "no-referrer" made Chromium post forms with "Origin: null", which CSRF refuses;
    # "same-origin" sends the address to this site only, never to another host, in the header and the page.
    sample = make_sample(cast)
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    for path in ("/", "/ar/", SLUG_URL.format(lang="ar", slug=sample.person_a.slug), "/en/stories/"):
        for _time in ("miss", "hit"):
            response = _get(path)
            assert response.status_code == 200, path
            assert response["Referrer-Policy"] == "same-origin", path
            policies = re.findall(r'<meta name="referrer" content="([^"]*)">', response.content.decode())
            assert policies == ["same-origin"], (path, policies)


@pytest.mark.django_db
def test_it_answers_an_unknown_language_with_a_plain_404(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    for path in ("/de/", f"/de/prisoners/{sample.person_a.slug}/", "/xx/countries/by/", "/zh/", "/EN/",
                 f"/en-gb/prisoners/{sample.person_a.slug}/"):
        response = _get(path)
        assert response.status_code == 404, path
        assert b"Maryia" not in response.content


@pytest.mark.django_db
def test_it_escapes_html_in_names_and_stories(cast: Any) -> None:
    sample = make_sample(cast)
    registry_actions.do_set_names(person=sample.person_a, names=[
        registry_actions.NameInput("Maryia <script>alert(1)</script> Kalesnikava", "Latn", "en", "legal", True)],
        acting_user=cast.dana)
    publish(sample.person_a, "en", "<img src=x onerror=alert(1)>\n\n<b>bold</b>", author=cast.amal,
            reviewer=cast.bilal)
    sample.person_a.refresh_from_db()
    body = _get(SLUG_URL.format(lang="en", slug=sample.person_a.slug)).content.decode()
    assert "<script>" not in body and "<img" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<script>" not in _get("/en/").content.decode()


@pytest.mark.django_db
def test_it_keeps_the_profile_page_light_and_free_of_other_hosts(cast: Any) -> None:
    from django.contrib.staticfiles import finders

    sample = make_sample(cast)
    publish(sample.person_a, "ar", "قصة " * 400, author=cast.amal, reviewer=cast.bilal)
    response = _get(SLUG_URL.format(lang="ar", slug=sample.person_a.slug))
    body = response.content.decode()
    css = finders.find("publishing/public.css")
    assert css is not None
    with open(css, "rb") as handle:
        css_bytes = handle.read()
    assert len(response.content) + len(css_bytes) <= 100 * 1024
    assert "<script" not in body
    # Nothing from another host: every src and href is a path on this site (hreflang links name this site).
    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert url.startswith("/") or url.startswith("#") or url.startswith(settings.SITE_URL + "/"), url
    assert b"http" not in css_bytes and b"@import" not in css_bytes
    # Logical properties only: right-to-left pages mirror by themselves.
    rules = re.sub(rb"/\*.*?\*/", b"", css_bytes, flags=re.S)
    assert not re.search(rb"(margin|padding|border)-(left|right)|\b(left|right)\s*:|text-align:\s*(left|right)", rules)


def _give_photo(sample: Any, cast: Any) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), "navy").save(buffer, format="JPEG")
    buffer.seek(0)
    registry_actions.do_set_photo(person=sample.person_a, upload=buffer, acting_user=cast.dana)


@pytest.mark.django_db
def test_it_shows_a_small_photo_only_with_photo_consent(cast: Any) -> None:
    import io

    from PIL import Image

    sample = make_sample(cast)
    _give_photo(sample, cast)
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    url = SLUG_URL.format(lang="ar", slug=sample.person_a.slug)
    # A photo on file, but no consent to show it: no image, and its address answers 404.
    assert "<img" not in _get(url).content.decode()
    assert _get(url + "photo.jpg").status_code == 404
    registry_actions.do_record_consent(person=sample.person_a, data={
        "scope": "photo", "given_by": "sister", "given_on": timezone.localdate()}, acting_user=cast.dana)
    body = _get(url).content.decode()
    # decision 0028: responsive widths (never wider than the 1200-pixel original), width/height of the small copy.
    srcset = f"{url}photo-320.jpg 320w, {url}photo-640.jpg 640w, {url}photo-960.jpg 960w"
    assert (f'<img class="portrait" src="{url}photo.jpg" srcset="{srcset}" sizes="10rem" width="480" height="360" '
            'alt="صورة Maryia Kalesnikava">') in body
    response = _get(url + "photo.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(response.content)) as image:
        assert max(image.size) == 480 and not image.getexif()
    for width in (320, 640, 960):
        sized = _get(f"{url}photo-{width}.jpg")
        assert sized.status_code == 200 and sized["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(sized.content)) as image:
            assert image.size == (width, width * 3 // 4) and not image.getexif() and "exif" not in image.info
    assert _get(f"{url}photo-1280.jpg").status_code == 404  # never upscaled
    assert _get(f"{url}photo-500.jpg").status_code == 404  # only the offered widths
    assert _get(f"{url}photo-640.jpg")["X-Public-Cache"] == "hit"
    # Consent withdrawn: gone from the page and from its addresses at once (every width, stored or not).
    consent = sample.person_a.consents.get(scope="photo")
    registry_actions.do_withdraw_consent(consent=consent, withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    assert "<img" not in _get(url).content.decode()
    assert _get(url + "photo.jpg").status_code == 404
    for width in (320, 640, 960):
        assert _get(f"{url}photo-{width}.jpg").status_code == 404
