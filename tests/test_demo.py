from django.core.management import call_command
from wagtail.models import Page, Revision

from home.models import HomePage, NewsPage, OfficeSettings


def snapshot():
    from django.apps import apps

    counted = [
        "services.Ticket",
        "services.TicketStep",
        "services.TicketMessage",
        "services.Resource",
        "services.Booking",
        "services.CalendarFeed",
        "services.SurveyResponse",
        "services.OutboxMessage",
        "wagtailcore.Workflow",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
    ]
    return {
        "pages": sorted(Page.objects.values_list("url_path", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "settings": list(OfficeSettings.objects.values()),
        **{name: apps.get_model(name).objects.count() for name in counted},
    }


def test_demo_command_is_idempotent(db):
    call_command("load_demo", verbosity=0)
    first = snapshot()
    assert HomePage.objects.count() == 1
    assert NewsPage.objects.live().count() >= 6
    # The catalogue, the desk and the surveys all have something to show.
    assert first["services.Ticket"] > 10 and first["services.SurveyResponse"] > 10
    assert first["services.Resource"] >= 4 and first["wagtailcore.Workflow"] >= 1
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_if_empty_leaves_an_existing_site_alone(db):
    call_command("load_demo", verbosity=0)
    home = HomePage.objects.get()
    home.title = "แก้ไขแล้ว"
    home.save_revision().publish()
    call_command("load_demo", "--if-empty", verbosity=0)
    assert HomePage.objects.get().title == "แก้ไขแล้ว"


def test_demo_accounts_have_roles(db, tmp_path, monkeypatch, settings):
    from django.contrib.auth.models import User

    from services.management.commands import setup_demo_accounts

    monkeypatch.setattr(setup_demo_accounts, "ACCOUNTS_FILE", tmp_path / "accounts.txt")
    call_command("setup_demo_accounts", verbosity=0)
    call_command("setup_demo_accounts", verbosity=0)
    saved = (tmp_path / "accounts.txt").read_text()
    for name in ("admin", "officer", "approver", "director", "staff", "executive"):
        assert User.objects.filter(username=name).count() == 1
        assert name in saved
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="staff").groups.filter(name="Staff").exists()
    assert "(unchanged)" not in saved
