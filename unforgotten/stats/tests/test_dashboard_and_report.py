"""Issue 9, item 4: the members' dashboard, the monthly report (PDF) and the statistics' periodic jobs.

Canaries planted by ``registry.testing.make_sample`` in every internal,
restricted and sealed field never reach the dashboard, the report (read back
with pdftotext), the API or the public statistics: the statistics print only
counts and catalogue labels.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from unforgotten.core import schedule
from unforgotten.testing import signed_in


def test_it_shows_a_member_their_organisations_figures(cast: Any, fixture: Any) -> None:
    response = signed_in(cast.vera).get("/work/stats/", {"on": "2021-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Belarus" in html and "Penal Colony No. 4" in html and "Date uncertain" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    # Chris reads Org B only: one prisoner, in Belarus; nothing of Org A's colony.
    other = signed_in(cast.chris).get("/work/stats/", {"on": "2021-12-31"}).content.decode()
    assert "Penal Colony No. 4" not in other and "Russia" not in other


def test_it_explains_bad_input_on_the_dashboard(cast: Any, fixture: Any) -> None:
    response = signed_in(cast.vera).get("/work/stats/", {"on": "2999-01-01", "by": "religion", "months": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2999-01-01 is in the future" in html and "&#x27;religion&#x27; is not a dimension" in html
    assert 'aria-invalid="true"' in html


def test_it_refuses_the_dashboard_to_people_outside_any_organisation(cast: Any) -> None:
    assert signed_in(cast.pat).get("/work/stats/").status_code == 404
    assert Client().get("/work/stats/").status_code == 302


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftotext", "-layout", str(source), str(tmp_path / "report.txt")], check=True)  # noqa: S603, S607
    return (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_it_makes_the_monthly_report_as_a_pdf(cast: Any, fixture: Any, tmp_path: Path) -> None:
    response = signed_in(cast.bilal).get("/work/stats/org-a/report/2021-12.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "Statistics for Dec 2021" in text and "Rights Watch (Org A)" in text
    assert "Penal Colony No. 4" in text and "Date uncertain" in text
    # Chris is not in Org A: the report is "not found", exactly like a month that cannot exist.
    assert signed_in(cast.chris).get("/work/stats/org-a/report/2021-12.pdf").status_code == 404
    assert signed_in(cast.bilal).get("/work/stats/org-a/report/2999-01.pdf").status_code == 404


def test_it_keeps_canaries_out_of_every_statistics_output(cast: Any, tmp_path: Path) -> None:
    from unforgotten.registry.testing import make_sample
    from unforgotten.stats.actions import do_make_monthly_report

    sample = make_sample(cast)
    canaries = [c.encode() for c in sample.canaries]
    amal = signed_in(cast.amal)  # on no case team: staff of Org A
    outputs = [amal.get(p).content for p in (
        "/work/stats/", "/work/stats/?on=2021-12-31", "/api/v1/stats/asof?by=article",
        "/api/v1/stats/asof?by=facility", "/api/v1/stats/cross?rows=facility&columns=country",
        "/api/v1/stats/series?start=2020-01")]
    outputs += [Client().get(p).content for p in (
        "/en/statistics/", "/ru/statistics/2021-12-31/", "/open-data/statistics/asof.json",
        "/open-data/statistics/asof.csv", "/api/v1/stats/public/asof?by=article")]
    report = do_make_monthly_report(organisation=cast.org_a, month=date(2021, 10, 1), acting_user=cast.dana)
    outputs.append(_pdf_text(bytes(report.pdf), tmp_path).encode())
    leaked = [c for c in canaries for body in outputs if c in body]
    assert leaked == []
    assert b"Criminal Code" in outputs[2]  # the article's catalogue label is there: the test can see text


def test_it_stores_last_months_report_once_from_the_monthly_job(cast: Any, fixture: Any) -> None:
    from unforgotten.audit.models import AuditEvent
    from unforgotten.stats.models import MonthlyReport

    with time_machine.travel(datetime(2026, 3, 2, 6, 0), tick=False):
        first = schedule.run_now("stats.monthly_report")
        second = schedule.run_now("stats.monthly_report")
    assert "2026-02" in str(first) and "all made already" in str(second)
    stored = MonthlyReport.objects.filter(month=date(2026, 2, 1))
    assert sorted(stored.values_list("organisation__slug", flat=True)) == ["org-a", "org-b"]
    assert bytes(stored.get(organisation=cast.org_a).pdf).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="stats.make_monthly_report").count() == 2


def test_it_catches_up_after_a_bulk_load_that_bypassed_the_actions(cast: Any, fixture: Any) -> None:
    from unforgotten.registry.models import StatusChange
    from unforgotten.registry.search import note_bulk_change
    from unforgotten.stats import engine
    from unforgotten.stats.queries import TableSource, breakdown

    # A bulk load writes rows without signals (here: a queryset update) and leaves the registry's mark.
    StatusChange.objects.filter(person=fixture.emil, status="imprisoned").update(status="released")
    note_bulk_change()
    assert engine.stale(cast.org_a.pk)
    assert "nothing" not in str(schedule.run_now("stats.catch_up"))
    assert not engine.stale(cast.org_a.pk)
    rows = {r.value: r.counted for r in breakdown(TableSource([cast.org_a.pk]), date(2021, 12, 31), "status").rows}
    assert rows["released"] == 2
    assert "nothing to recount" in str(schedule.run_now("stats.catch_up"))


def test_it_reports_an_organisation_with_no_cases_as_nobody_counted(cast: Any, tmp_path: Path) -> None:
    from unforgotten.accounts.models import Membership, Organisation
    from unforgotten.stats.actions import do_make_monthly_report

    empty = Organisation.objects.create(name="New Group", slug="new-group", country="FR")
    Membership.objects.create(user=cast.chris, organisation=empty, roles=["viewer"])
    report = do_make_monthly_report(organisation=empty, month=date(2026, 1, 1), acting_user=None)
    text = _pdf_text(bytes(report.pdf), tmp_path)
    assert "New Group" in text and "Nobody is counted on this day." in text
    response = signed_in(cast.chris).get("/api/v1/stats/asof", {"organisation": "new-group"})
    assert response.status_code == 200 and response.json()["rows"] == []
