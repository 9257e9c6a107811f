"""The one PDF door: shaped right-to-left text in logical order, and nothing fetched from outside."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from unforgotten.core.pdf import render_pdf

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@needs_pdftotext
def test_it_keeps_arabic_and_persian_in_logical_order(tmp_path: Path) -> None:
    html = (
        '<p lang="ar" dir="rtl">الحرية للمعتقلين السياسيين</p>'
        '<p lang="fa" dir="rtl">آزادی برای زندانیان سیاسی</p>'
        "<p>Freedom for political prisoners</p>"
    )
    text = _text(render_pdf(html), tmp_path)
    assert "Freedom for political prisoners" in text
    # pdftotext gives logical order for correctly shaped RTL runs.
    assert "الحرية للمعتقلين السياسيين" in text
    assert "آزادی برای زندانیان سیاسی" in text


def test_it_fetches_nothing_from_other_hosts_or_arbitrary_files(tmp_path: Path, settings: Any) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    refused: list[str] = []
    html = (
        '<link rel="stylesheet" href="https://cdn.example.net/x.css">'
        f'<link rel="stylesheet" href="file://{secret}">'
        '<img src="http://127.0.0.1:9/pixel.png" alt="">'
        "<p>Body</p>"
    )
    pdf = render_pdf(html, refused=refused)
    assert pdf.startswith(b"%PDF")
    assert any("cdn.example.net" in url for url in refused)
    assert any(str(secret) in url for url in refused)
    assert any("127.0.0.1:9" in url for url in refused)


def test_it_embeds_data_urls() -> None:
    # A 1x1 PNG given inline is allowed (QR codes and charts are made this way).
    png = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    refused: list[str] = []
    pdf = render_pdf(f'<img src="{png}" alt="dot">', refused=refused)
    assert pdf.startswith(b"%PDF") and refused == []
