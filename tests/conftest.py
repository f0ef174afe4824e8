"""Shared fixtures: a demo site built once per test that needs it."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The demo site as `make run` builds it; returns the home page."""
    from home.models import HomePage

    call_command("load_demo", verbosity=0)
    return HomePage.objects.get()


@pytest.fixture
def home_page(db):
    from home.demo import build

    return build(log=lambda *_: None)


@pytest.fixture
def catalogue(home_page):
    """The demo service catalogue (every service of the published standards)."""
    from services.demo import build

    return build(log=lambda *_: None)


@pytest.fixture
def fresh_cache():
    """An empty cache, so rate limits counted by earlier tests do not leak in."""
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()
