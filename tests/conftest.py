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


@pytest.fixture
def demo_site(db):
    """The demo site as `make run` builds it; returns the home page."""
    from home.models import HomePage

    ensure_wagtail_base()
    call_command("load_demo", verbosity=0)
    return HomePage.objects.get()


@pytest.fixture
def home_page(db):
    from home.demo import build

    ensure_wagtail_base()
    return build(log=lambda *_: None)
