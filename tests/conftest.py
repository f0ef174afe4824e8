"""Shared fixtures: the demo home page and catalogue, built once per session.

Building the demo site and its catalogue takes a few seconds, and most tests
ask for them. So the tests that ask for ``home_page`` or ``catalogue`` (and do
not need real commits) run together, on content built once inside transactions
that are never committed:

    transaction 1: the demo site (``home_page``)
        transaction 2 (a savepoint): the demo catalogue (``catalogue``)
            each test's own transaction (pytest-django), rolled back after it

so every test starts from the same rows as if it had built them itself, and
nothing it changes reaches the next test. Tests that ask for neither run after
them with those transactions rolled back: they never see the demo content.
Transactional tests (live server, real cluster, ``transaction=True``) commit
for real, so they still build their own content (and Django empties the tables
after each of them).
"""

import pytest
from django.core.management import call_command
from pytest_django.fixtures import validate_django_db


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
def django_db_setup(django_db_setup, django_db_blocker):
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
    # Roll back the shared demo content before the test database is dropped.
    SHARED.move_to(0, django_db_blocker)


# --- demo content shared by the tests that ask for it ---------------------------------


def _build_home():
    from services.demo.site import build

    ensure_wagtail_base()
    return build(log=lambda *_: None)


def _build_catalogue():
    from services.demo.catalogue import build

    return build(log=lambda *_: None)


#: Level n of shared content is the first n builders, each in its own transaction.
SHARED_BUILDERS = (_build_home, _build_catalogue)


def _is_transactional(item):
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_rest = validate_django_db(marker)
    return bool(transaction or reset_sequences)


def content_level(item):
    """How much shared demo content a test runs on: 0 none, 1 the site, 2 the catalogue too."""
    names = getattr(item, "fixturenames", ())
    level = 2 if "catalogue" in names else 1 if "home_page" in names else 0
    return 0 if level and _is_transactional(item) else level


class SharedContent:
    """The open transactions holding the shared demo content, one per level."""

    def __init__(self):
        self.levels = []  # (atomic block, model, pk) for levels 1, 2, ...
        self.item = None  # the test the content was last prepared for

    def move_to(self, level, blocker):
        """Roll back or build until exactly ``level`` levels are open."""
        from django.db import transaction

        if len(self.levels) == level:
            return
        with blocker.unblock():
            while len(self.levels) > level:
                block, _model, _pk = self.levels.pop()
                transaction.set_rollback(True)
                block.__exit__(None, None, None)
            while len(self.levels) < level:
                block = transaction.atomic()
                block.__enter__()
                try:
                    built = SHARED_BUILDERS[len(self.levels)]()
                except BaseException as error:
                    block.__exit__(type(error), error, error.__traceback__)
                    raise
                self.levels.append((block, type(built), built.pk))

    def get(self, item, level):
        """A fresh copy of what level ``level`` built, or None if ``item`` builds its own."""
        if content_level(item) < level:
            return None
        assert self.item is item and len(self.levels) == content_level(item), (
            "shared demo content was not prepared for this test"
        )
        _block, model, pk = self.levels[level - 1]
        return model.objects.get(pk=pk)


SHARED = SharedContent()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests on shared content first, those on the site before those on the
    catalogue, so each level is built once (pytest-django has already put database
    tests before transactional ones, and those before the rest; order is kept
    otherwise)."""
    shared = sorted((item for item in items if content_level(item)), key=content_level)
    items[:] = shared + [item for item in items if not content_level(item)]


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Before a test's first function-scoped fixture (so before its own transaction
    opens), roll back or build the shared content to the level it asks for."""
    if fixturedef.scope == "function" and request.node is not SHARED.item:
        SHARED.item = request.node
        level = content_level(request.node)
        if level or SHARED.levels:
            SHARED.move_to(level, request.getfixturevalue("django_db_blocker"))
        if level:
            from wagtail.models import Site

            # What the site build used to do for each test: a test that changed the
            # site must not leave its site root paths in the cache for the next.
            Site.clear_site_root_paths_cache()
    return (yield)


@pytest.fixture
def demo_site(db):
    """The demo site as `make run` builds it; returns the home page."""
    from home.models import HomePage

    ensure_wagtail_base()
    call_command("load_demo", verbosity=0)
    return HomePage.objects.get()


@pytest.fixture
def home_page(request, db):
    """The demo site (``services.demo.site``); returns its home page."""
    shared = SHARED.get(request.node, 1)
    return shared if shared is not None else _build_home()


@pytest.fixture
def catalogue(request, home_page):
    """The demo service catalogue (every service of the published standards)."""
    shared = SHARED.get(request.node, 2)
    return shared if shared is not None else _build_catalogue()


@pytest.fixture
def fresh_cache():
    """An empty cache and no rate-limit counts, so what earlier tests counted
    does not leak in."""
    from django.core.cache import cache

    from services.core import ratelimit

    ratelimit.forget_all()
    yield cache
    ratelimit.forget_all()


@pytest.fixture
def one_rate_window(fresh_cache, monkeypatch):
    """An empty cache and the rate limiter's clock held one second into a window.

    Limits count in fixed windows (services.core.ratelimit), so a window boundary
    passing in the middle of a test would start the count again; a day's start
    is the start of every window a test uses (a minute, ten minutes, an hour, a day).
    """
    import time
    from types import SimpleNamespace

    from services.core import ratelimit

    held = (time.time() // 86400 + 1) * 86400 + 1
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: held))
    return fresh_cache


@pytest.fixture(scope="session", autouse=True)
def _remove_sqlite_journal_files():
    """Django deletes the file-based SQLite test database but not its WAL files,
    nor the request journal's lock files (services.tickets.journal)."""
    yield
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        for suffix in ("-wal", "-shm", ".writers", ".journal-run"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _forget_cached_synonyms():
    """The synonym map lives in a cache shared by processes, which a test's
    rolled-back transaction does not reach: each test starts from the database."""
    from django.core.cache import caches

    from home.search.expand import SYNONYMS_CACHE_KEY

    caches["pages"].delete(SYNONYMS_CACHE_KEY)
    yield
    caches["pages"].delete(SYNONYMS_CACHE_KEY)
