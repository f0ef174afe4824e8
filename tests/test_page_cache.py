"""The full-page cache: anonymous readers get stored pages, purged on publish,
with a CSRF token of their own; logged-in users and personal pages bypass it."""

import re

import pytest
from django.test import Client

from home.models import NewsPage, OfficeSettings
from home.pagecache import HEADER, page_cache
from services.catalogue.models import ServicePage
from services.tickets.models import Ticket
from tests.services_data import form_data
from tests.wsgi_client import wsgi_request

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cached(settings, fresh_cache):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SERVICE_RATE_LIMIT = "1000/60"
    page_cache().clear()
    yield page_cache()
    page_cache().clear()


def visitor():
    return Client(enforce_csrf_checks=True)


def test_second_anonymous_reader_gets_the_stored_page(cached, home_page):
    first = visitor().get("/")
    second = visitor().get("/")
    assert first[HEADER] == "miss" and second[HEADER] == "hit"
    assert second.status_code == 200
    assert "กลุ่มส่งเสริมการศึกษาทางไกล" in second.content.decode()


def test_publishing_a_page_purges_it_at_once(cached, home_page):
    news = NewsPage.objects.live().first()
    assert visitor().get(news.url)[HEADER] == "miss"
    assert visitor().get(news.url)[HEADER] == "hit"
    news.summary = "ข้อความใหม่ที่เพิ่งเผยแพร่"
    news.save_revision().publish()
    response = visitor().get(news.url)
    assert "ข้อความใหม่ที่เพิ่งเผยแพร่" in response.content.decode()
    assert response[HEADER] == "miss"
    # The home page lists the news too, and was purged with it.
    assert visitor().get("/")[HEADER] == "miss"


def test_unpublishing_and_settings_purge(cached, home_page):
    news = NewsPage.objects.live().first()
    assert visitor().get(news.url).status_code == 200
    news.unpublish()
    assert visitor().get(news.url).status_code == 404
    visitor().get("/")
    office = OfficeSettings.for_site(home_page.get_site())
    office.phone = "02 999 8888"
    office.save()
    assert "02 999 8888" in visitor().get("/").content.decode()


def test_deleting_a_page_purges(cached, home_page):
    news = NewsPage.objects.live().first()
    visitor().get(news.url)
    news.delete()
    assert visitor().get(news.url).status_code == 404


def test_cached_service_page_gives_each_visitor_a_working_token(cached, catalogue):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    visitor().get(page.url)  # stores it
    tickets = Ticket.objects.count()
    for _ in range(2):
        client = visitor()
        response = client.get(page.url)
        assert response[HEADER] == "hit"
        tokens = set(TOKEN.findall(response.content.decode()))
        assert tokens and "__PAGE_CACHE_CSRF_TOKEN__" not in response.content.decode()
        assert "csrftoken" in response.cookies
        posted = client.post(page.url, {**form_data("repair"), "csrfmiddlewaretoken": tokens.pop()})
        assert posted.status_code == 302, posted.content.decode()[:500]
    assert Ticket.objects.count() == tickets + 2


def test_post_without_a_token_is_refused(cached, catalogue):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    visitor().get(page.url)
    client = visitor()
    assert client.get(page.url)[HEADER] == "hit"
    tickets = Ticket.objects.count()
    assert client.post(page.url, form_data("repair")).status_code == 403
    stranger = visitor()
    forged = {**form_data("repair"), "csrfmiddlewaretoken": "x" * 64}
    assert stranger.post(page.url, forged).status_code == 403
    assert Ticket.objects.count() == tickets


def test_confirmation_page_is_never_stored(cached, catalogue):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    client = visitor()
    token = TOKEN.search(client.get(page.url).content.decode()).group(1)
    posted = client.post(page.url, {**form_data("repair"), "csrfmiddlewaretoken": token})
    confirmation = posted["Location"]
    first = client.get(confirmation)
    assert first.status_code == 200 and HEADER not in first
    assert HEADER not in visitor().get(confirmation)


def test_logged_in_users_and_sessions_bypass(cached, home_page, django_user_model):
    visitor().get("/")
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client = visitor()
    client.force_login(user)
    response = client.get("/")
    assert HEADER not in response


def test_language_is_part_of_the_key(cached, home_page):
    visitor().get("/")
    english = visitor()
    english.cookies["django_language"] = "en"
    response = english.get("/")
    assert response[HEADER] == "miss"
    assert '<html lang="en">' in response.content.decode()


def test_moving_a_page_purges(cached, home_page):
    from home.models import StandardPage

    page = StandardPage(title="หน้าย้าย", slug="moving")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    other = StandardPage(title="หน้าแม่", slug="parent-page")
    home_page.add_child(instance=other)
    other.save_revision().publish()
    assert visitor().get("/moving/").status_code == 200
    page.move(other, pos="last-child")
    # The old address now redirects (Wagtail adds a redirect) instead of showing the stored page.
    assert visitor().get("/moving/").status_code in (301, 404)
    assert visitor().get("/parent-page/moving/").status_code == 200


def wsgi_get(path, cookies=None):
    """A GET through the site's WSGI entry point, as gunicorn calls it."""
    status, headers, body = wsgi_request("GET", path, cookies=cookies)
    return status, headers, body.decode()


def test_wsgi_entry_hands_out_stored_pages_with_a_working_token(cached, catalogue):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    status, headers, _body = wsgi_get(page.url)  # Django serves and stores it
    assert status.startswith("200") and (HEADER, "miss") in headers
    status, headers, body = wsgi_get(page.url)
    assert (HEADER, "hit") in headers
    assert ("Content-Length", str(len(body.encode()))) in headers
    cookie = next(v for k, v in headers if k == "Set-Cookie" and v.startswith("csrftoken="))
    secret = cookie.split(";")[0].split("=", 1)[1]
    token = TOKEN.findall(body)[0]
    assert len(secret) == 32 and len(token) == 64
    client = visitor()
    client.cookies["csrftoken"] = secret
    tickets = Ticket.objects.count()
    posted = client.post(page.url, {**form_data("repair"), "csrfmiddlewaretoken": token})
    assert posted.status_code == 302, posted.content.decode()[:500]
    assert Ticket.objects.count() == tickets + 1
    # A forged token with the same cookie is refused.
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert (
        client.post(page.url, {**form_data("repair"), "csrfmiddlewaretoken": forged}).status_code
        == 403
    )
    # A visitor who has the cookie keeps their secret; a logged-in one goes to Django.
    _s, headers, _b = wsgi_get(page.url, {"csrftoken": secret})
    assert any(v.startswith(f"csrftoken={secret};") for k, v in headers if k == "Set-Cookie")
    _s, headers, _b = wsgi_get(page.url, {"sessionid": "x" * 32})
    assert HEADER not in dict(headers)


def test_wsgi_entry_sees_a_publish_at_once(cached, home_page):
    news = NewsPage.objects.live().first()
    wsgi_get(news.url)
    assert (HEADER, "hit") in wsgi_get(news.url)[1]
    news.summary = "ข่าวที่แก้ไขแล้วเห็นทันที"
    news.save_revision().publish()
    _s, headers, body = wsgi_get(news.url)
    assert "ข่าวที่แก้ไขแล้วเห็นทันที" in body and (HEADER, "miss") in headers


def test_with_redis_a_purge_in_another_process_reaches_this_one_at_once(settings):
    """Each process keeps the generation in memory while it listens on Redis; a
    purge anywhere drops it everywhere (here: from a separate process)."""
    import os
    import subprocess
    import sys
    import time

    from home import pagecache

    if not os.environ.get("REDIS_URL"):
        pytest.skip("the purge channel needs Redis (REDIS_URL)")
    # The suite keeps pages in a folder; here they go to Redis as in production
    # (the cache cms.settings.base sets up, which the other process below runs with).
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "ict") + "-pages",
        },
    }
    cache = page_cache()
    assert type(cache).__name__ == "RedisCache"
    first = pagecache._generation(cache)
    deadline = time.monotonic() + 10
    while not pagecache._watch.listening and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pagecache._watch.listening
    before = pagecache._generation(cache)
    assert pagecache._watch.value == before  # kept: a hit needs no round trip
    script = "import django; django.setup(); from home.pagecache import purge; purge()"
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.base"},
        check=True,
        timeout=60,
    )
    deadline = time.monotonic() + 2
    while pagecache._generation(cache) == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pagecache._generation(cache) not in (first, before)


def test_handed_out_tokens_are_django_tokens_of_the_visitors_secret():
    from collections import Counter

    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token

    from home.pagecache import masked_token, new_secret

    secret = new_secret()
    tokens = {masked_token(secret) for _ in range(200)}
    assert len(tokens) == 200  # a new mask each time
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    # Every allowed character, about equally often (62,000 draws: 1,000 expected each).
    counts = Counter("".join(new_secret() for _ in range(62_000 // 32 + 1)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert 800 < min(counts.values()) and max(counts.values()) < 1_200


def test_with_the_file_cache_a_purge_in_another_process_reaches_this_one(settings):
    """Without Redis each hit checks the generation's file: a purge written by
    another process (a cache object of its own on the same folder) is seen at once,
    and an unchanged file is not read again."""
    import os
    import subprocess
    import sys

    from home import pagecache

    # The folder cache as cms.settings.base sets it up without Redis, which the
    # other process below runs with.
    location = settings.CACHES["pages"]["LOCATION"]
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": location,
        },
    }
    cache = page_cache()
    assert type(cache).__name__ == "FileBasedCache"
    pagecache._generation(cache)  # written if the folder had none yet
    before = pagecache._generation(cache)
    reads = []
    real_read = pagecache._read_generation
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pagecache, "_read_generation", lambda c: reads.append(1) or real_read(c))
        assert [pagecache._generation(cache) for _ in range(5)] == [before] * 5
        assert reads == []  # kept while the file is unchanged
        script = (
            "import django; django.setup(); from home.pagecache import purge; purge(); "
            "from django.conf import settings; print(settings.CACHES['pages']['LOCATION'])"
        )
        printed = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "cms.settings.base",
                "REDIS_URL": "",
                "PAGE_CACHE_DIR": location,
            },
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        ).stdout
        assert printed.strip().splitlines()[-1] == location
        after = pagecache._generation(cache)
        assert after != before and reads == [1]
