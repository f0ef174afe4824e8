"""What search engines and link previews see: descriptions, Open Graph, favicon,
sitemap.xml and robots.txt."""

import re
from html import unescape

from django.contrib.staticfiles import finders


def meta(html, attr, name):
    found = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def test_every_public_page_has_a_description_and_open_graph_tags(client, catalogue):
    from wagtail.models import Page

    pages = Page.objects.live().public().specific().exclude(depth=1)
    assert pages.count() >= 5
    for page in pages:
        response = client.get(page.url)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        description = meta(html, "name", "description")
        assert description, page.url
        assert len(description) <= 161
        assert meta(html, "property", "og:title") == (page.seo_title or page.title)
        assert meta(html, "property", "og:description") == description
        assert meta(html, "property", "og:url") == page.full_url
        assert meta(html, "property", "og:locale") == "th_TH"
        assert 'rel="icon"' in html


def test_description_is_the_search_description_then_the_summary(client, catalogue):
    from services.catalogue.models import ServicePage

    page = ServicePage.objects.live().exclude(summary="").first()
    html = client.get(page.url).content.decode()
    assert meta(html, "name", "description") == " ".join(page.summary.split())[:160]
    page.search_description = 'คำอธิบายสำหรับเครื่องมือค้นหา <"ทดสอบ">'
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert meta(html, "name", "description") == 'คำอธิบายสำหรับเครื่องมือค้นหา <"ทดสอบ">'
    assert '<"ทดสอบ">' not in html  # escaped


def test_favicon_exists(client, home_page):
    assert finders.find("img/favicon.svg") and finders.find("img/favicon.ico")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/img/favicon.ico")


def test_sitemap_lists_live_pages_and_robots_points_to_it(client, catalogue):
    from wagtail.models import Page

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    locations = set(re.findall(r"<loc>([^<]+)</loc>", xml))
    live = {p.full_url for p in Page.objects.live().public().specific().exclude(depth=1)}
    assert live <= locations
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for private in ("/admin/", "/track/", "/survey/t/"):
        assert f"Disallow: {private}" in text
