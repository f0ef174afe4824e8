"""QR codes that lead to a service's request form, as PNG and SVG."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.conf import settings

if TYPE_CHECKING:
    from wagtail.models import Page

FORM_ANCHOR = "#request-form"


def form_url(page: Page) -> str:
    """The absolute address of the page's request form (what the QR code holds)."""
    return f"{settings.WAGTAILADMIN_BASE_URL}{page.url}{FORM_ANCHOR}"


def _qr(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    """A PNG image of a QR code holding ``url``."""
    buffer = io.BytesIO()
    _qr(url).make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    """An SVG image (one path) of a QR code holding ``url``."""
    buffer = io.BytesIO()
    _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()
