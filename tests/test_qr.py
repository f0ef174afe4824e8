"""QR codes decode, with a real decoder, back to the service's form URL; the poster prints."""

import io

import pytest
import zxingcpp
from PIL import Image

from services.catalogue.models import ServicePage
from services.core.qr import form_url, qr_png


def decode(png):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [result.text for result in results]


def test_png_qr_decodes_to_the_form_url(client, catalogue, settings):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    response = client.get(page.url + "qr/png/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    url = form_url(page)
    assert url == (
        settings.WAGTAILADMIN_BASE_URL + "/services/computer-internet-repair/#request-form"
    )
    assert decode(response.content) == [url]


def test_every_service_has_its_own_code(catalogue):
    urls = set()
    for page in ServicePage.objects.live():
        assert decode(qr_png(form_url(page))) == [form_url(page)]
        urls.add(form_url(page))
    assert len(urls) == 10


def test_svg_qr_is_served_and_downloadable(client, catalogue):
    page = ServicePage.objects.get(slug="zoom-meeting-room")
    response = client.get(page.url + "qr/svg/?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="qr-zoom-meeting-room.svg"'
    body = response.content.decode()
    assert "<svg" in body and "<path" in body


def test_svg_renders_to_the_same_code(client, catalogue, tmp_path):
    """Rasterise the SVG in the real browser when it is there, then decode it."""
    import os

    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    page = ServicePage.objects.get(slug="zoom-meeting-room")
    svg = client.get(page.url + "qr/svg/").content.decode()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        tab = browser.new_page(viewport={"width": 400, "height": 400})
        tab.set_content(
            f'<body style="margin:0;background:#fff">'
            f'<div style="width:360px;height:360px">{svg}</div></body>'
        )
        tab.evaluate(
            "document.querySelector('svg').setAttribute('width', '360');"
            "document.querySelector('svg').setAttribute('height', '360')"
        )
        png = tab.screenshot()
        browser.close()
    assert decode(png) == [form_url(page)]


def test_poster_has_name_code_qr_and_steps(client, catalogue):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    response = client.get(page.url + "poster/")
    text = response.content.decode()
    assert response.status_code == 200
    assert page.title in text and "ICT 02" in text and "SCAN ME" in text
    assert f'src="{page.url}qr/svg/"' in text
    assert "ตรวจสอบและแก้ไขปัญหาคอมพิวเตอร์" in text and "1 วันทำการ" in text
    assert "poster.css" in text


def test_service_page_offers_the_codes(client, catalogue):
    page = ServicePage.objects.get(slug="education-information")
    text = client.get(page.url).content.decode()
    for link in ("qr/png/?download=1", "qr/svg/?download=1", "poster/"):
        assert page.url + link in text
