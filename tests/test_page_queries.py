"""Every public page type, uncached, in at most 10 SQL queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import NewsIndexPage, NewsPage, StandardPage
from home.pagecache import HEADER, page_cache
from services.catalogue.models import ServiceIndexPage, ServicePage

MAX_QUERIES = 10


def urls():
    return {
        "home": "/",
        "catalogue": ServiceIndexPage.objects.live().first().url,
        "service": ServicePage.objects.live().get(slug="computer-internet-repair").url,
        "booking service": ServicePage.objects.live().get(slug="zoom-meeting-room").url,
        "news index": NewsIndexPage.objects.live().first().url,
        "news": NewsPage.objects.live().first().url,
        "standard": StandardPage.objects.live().first().url,
        "search": "/search/?q=ซ่อม",
    }


def test_each_public_page_type_runs_at_most_10_queries(client, demo_site, fresh_cache, settings):
    settings.PAGE_CACHE_SECONDS = 300
    page_cache().clear()
    counts = {}
    for name, url in urls().items():
        # The first reader fills the shared caches (site root paths, the menu)
        # and stores the page; a new query string is a page the cache lacks.
        client.get(url)
        uncached = url + ("&" if "?" in url else "?") + "fresh=1"
        with CaptureQueriesContext(connection) as queries:
            response = client.get(uncached)
        assert response.status_code == 200, name
        assert response.get(HEADER) != "hit", name
        counts[name] = [q["sql"] for q in queries.captured_queries]
    too_many = {name: len(sql) for name, sql in counts.items() if len(sql) > MAX_QUERIES}
    print({name: len(sql) for name, sql in counts.items()})
    assert not too_many, "\n\n".join(
        f"{name}: {len(counts[name])}\n" + "\n".join(counts[name]) for name in too_many
    )


def test_long_paths_still_route_and_unknown_ones_are_404(client, demo_site):
    service = ServicePage.objects.live().get(slug="computer-internet-repair")
    news = NewsPage.objects.live().first()
    assert client.get(service.url).status_code == 200
    assert client.get(service.url + "qr/svg/").status_code == 200
    assert client.get(news.url).status_code == 200
    for url in (news.url + "extra/", "/services/nope/qr/svg/", "/nope/" + service.slug + "/"):
        assert client.get(url).status_code == 404, url
