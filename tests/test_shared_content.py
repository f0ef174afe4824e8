"""The demo content shared between tests (tests/conftest.py) behaves as if each test
had built its own: every test starts from it unchanged, and tests that do not ask
for it never see it.

Tests on shared content run in file order within their level, so the second test
of each pair below runs after the first has changed the content.
"""

import pytest

from home.models import HomePage, NewsPage
from services.catalogue.models import ServicePage

HOME_TITLE = "หน้าแรก"
REPAIR = "computer-internet-repair"


def test_site_change_made_by_one_test(home_page):
    home_page.title = "เปลี่ยนโดยการทดสอบ"
    home_page.save()
    NewsPage.objects.all().delete()
    assert HomePage.objects.get().title == "เปลี่ยนโดยการทดสอบ"
    assert not NewsPage.objects.exists()


def test_site_is_back_as_built_for_the_next_test(home_page):
    assert home_page.title == HOME_TITLE
    assert HomePage.objects.get().title == HOME_TITLE
    assert NewsPage.objects.exists()


def test_site_only_tests_do_not_see_the_catalogue(home_page):
    assert not ServicePage.objects.exists()


def test_catalogue_change_made_by_one_test(catalogue):
    ServicePage.objects.get(slug=REPAIR).delete()
    assert not ServicePage.objects.filter(slug=REPAIR).exists()


def test_catalogue_is_back_as_built_for_the_next_test(catalogue):
    assert ServicePage.objects.filter(slug=REPAIR).exists()
    assert catalogue.get_children().count() == ServicePage.objects.count()


def test_tests_that_do_not_ask_see_no_demo_content(db):
    assert not HomePage.objects.exists()
    assert not ServicePage.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transactional_tests_build_their_own(catalogue):
    assert ServicePage.objects.filter(slug=REPAIR).exists()
