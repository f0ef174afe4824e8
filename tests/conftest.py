"""Shared fixtures: a demo site built once per test that needs it."""

import pytest
from django.core.management import call_command


def ensure_wagtail_base():
    """Recreate what Wagtail's migrations put in the database.

    Transactional tests (live server, real cluster) empty every table when
    they finish, including the root page, the default locale and the root
    collection that migrations created.
    """
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized test data reachable from every connection object.

    Django keeps it on the connection object, but Playwright's sync API runs
    tests in greenlets with their own context, where Django hands out fresh
    connection objects without it; transactional tests then lose Wagtail's
    root page. A class attribute is seen by every connection object.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    yield


@pytest.fixture
def demo_site(db):
    """The demo site as `make run` builds it; returns the home page."""
    from home.models import HomePage

    ensure_wagtail_base()
    call_command("load_demo", verbosity=0)
    return HomePage.objects.get()


@pytest.fixture
def home_page(db):
    from services.demo.site import build

    ensure_wagtail_base()
    return build(log=lambda *_: None)


@pytest.fixture
def catalogue(home_page):
    """The demo service catalogue (every service of the published standards)."""
    from services.demo.catalogue import build

    return build(log=lambda *_: None)


@pytest.fixture
def fresh_cache():
    """An empty cache, so rate limits counted by earlier tests do not leak in."""
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _remove_sqlite_journal_files():
    """Django deletes the file-based SQLite test database but not its WAL files."""
    yield
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
