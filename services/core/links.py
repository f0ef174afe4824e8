"""Absolute links for e-mails, QR codes and feeds: always the site's configured
address (``BASE_URL``, i.e. ``settings.WAGTAILADMIN_BASE_URL``), never the
hostname a Wagtail Site row happens to carry (``localhost`` in a fresh install)."""

from django.conf import settings


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path):
    """``path`` ("/track/...") on the configured address; absolute URLs pass through."""
    path = str(path or "/")
    if "://" in path:
        return path
    return base_url() + (path if path.startswith("/") else "/" + path)


def page_url(page):
    """A Wagtail page's public address on the configured site address."""
    parts = page.get_url_parts()
    if parts is None:
        return absolute_url("/")
    _site_id, _root_url, page_path = parts
    return absolute_url(page_path)
