"""A news date entered and shown in the English (or Thai) admin keeps its day and month."""

import datetime as dt

import pytest
from django.utils import translation

from home.models import NewsIndexPage, NewsPage
from tests.desk_helpers import make_user


def date_field_and_widget():
    form_class = NewsPage.get_edit_handler().get_form_class()
    field = form_class.base_fields["date"]
    return field, field.widget


@pytest.mark.parametrize(
    "language, shown_as, typed",
    [("en", "01/10/2026", "13/02/2026"), ("th", "01/10/2569", "13/02/2569")],
)
def test_date_shown_and_parsed_the_same_way(language, shown_as, typed):
    """One format per language, for showing and reading: B.E. in Thai, C.E. in English."""
    with translation.override(language):
        field, widget = date_field_and_widget()
        shown = widget.format_value(dt.date(2026, 10, 1))
        assert shown == shown_as

        def read(text):
            return field.clean(widget.value_from_datadict({"date": text}, {}, "date"))

        assert read(shown) == dt.date(2026, 10, 1)
        assert read(typed) == dt.date(2026, 2, 13)
        assert f'value="{shown_as}"' in widget.render("date", dt.date(2026, 10, 1))


def add_news_through_the_admin(client, slug, typed_date):
    """Add a news page with ``typed_date`` through the admin form; returns the page and
    the edit form's HTML."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    index = NewsIndexPage.objects.get(slug="news")
    data = nested_form_data(
        {"title": slug, "slug": slug, "date": typed_date, "summary": "", "body": streamfield([])}
    )
    response = client.post(f"/admin/pages/add/home/newspage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug=slug)
    return page, client.get(f"/admin/pages/{page.pk}/edit/").content.decode()


@pytest.mark.django_db
def test_news_date_saved_through_the_english_admin_keeps_day_and_month(client, home_page):
    from wagtail.users.models import UserProfile

    user = make_user("english-editor", superuser=True)
    UserProfile.get_for_user(user).__class__.objects.filter(user=user).update(
        preferred_language="en"
    )
    client.force_login(user)
    page, edit = add_news_through_the_admin(client, "date-check", "01/10/2026")
    assert page.date == dt.date(2026, 10, 1)
    assert 'value="01/10/2026"' in edit


@pytest.mark.django_db
def test_news_date_entered_in_be_through_the_thai_admin(client, home_page):
    client.force_login(make_user("thai-editor", superuser=True))
    page, edit = add_news_through_the_admin(client, "be-date", "05/01/2570")
    assert page.date == dt.date(2027, 1, 5)
    assert 'value="05/01/2570"' in edit
