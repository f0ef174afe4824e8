"""Due times on the business clock, reminders and escalation, dashboard, report, demo."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from publishing import tasks
from publishing.report import turnaround
from publishing.workflow import TASKS
from services.core.clock import BANGKOK, get_clock
from services.core.models import OutboxMessage
from services.core.roles import EXECUTIVES
from tests import publishing_support as support
from tests.publishing_support import act, current_state, make_user, submit

publication = support.publication
people = support.people

pytestmark = pytest.mark.django_db

# Thursday 4 December 2025 (B.E. 2568), 15:00. Friday 5 December is a public
# holiday (National Day), then a weekend: one working day later is Monday 15:00.
THURSDAY = dt.datetime(2025, 12, 4, 15, 0, tzinfo=BANGKOK)
MONDAY = dt.datetime(2025, 12, 8, 15, 0, tzinfo=BANGKOK)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_due_time_skips_holiday_and_weekend(publication, people):
    with at(THURSDAY):
        page = submit(publication, people["staff"])
    state = current_state(page)
    assert state.started_at == THURSDAY
    assert state.due_at == MONDAY
    assert state.due_at == get_clock().add(state.started_at, 1, "days", "working")
    # The director's step starts on Monday morning and is due Tuesday morning.
    with at(dt.datetime(2025, 12, 8, 9, 0, tzinfo=BANGKOK)):
        act(page, people["head"])
    director_step = current_state(page)
    assert director_step.task.name == TASKS[1][0]
    assert director_step.due_at == dt.datetime(2025, 12, 9, 9, 0, tzinfo=BANGKOK)


def test_step_started_after_hours_counts_from_next_opening(publication, people):
    with at(dt.datetime(2025, 12, 4, 18, 0, tzinfo=BANGKOK)):  # after closing
        page = submit(publication, people["staff"])
    # Counted from the next opening, Monday 08:30 (Friday is a holiday): one full
    # office day ends at Monday's closing time.
    assert current_state(page).due_at == dt.datetime(2025, 12, 8, 16, 30, tzinfo=BANGKOK)


def keys(kind):
    return list(OutboxMessage.objects.filter(kind=kind).values_list("key", flat=True))


def test_reminder_then_escalation_each_once(publication, people):
    with at(THURSDAY):
        page = submit(publication, people["staff"])
    state = current_state(page)
    # Thursday 16:00: plenty of working time left, nothing is sent.
    assert tasks.sweep(now=dt.datetime(2025, 12, 4, 16, 0, tzinfo=BANGKOK)) == {
        "reminded": 0,
        "escalated": 0,
    }
    # Monday 13:30: 90 working minutes left, the reviewers are reminded once.
    monday_1330 = dt.datetime(2025, 12, 8, 13, 30, tzinfo=BANGKOK)
    assert tasks.sweep(now=monday_1330)["reminded"] == 1
    assert tasks.sweep(now=monday_1330 + dt.timedelta(minutes=5))["reminded"] == 0
    assert keys("publishing_reminder") == [f"publishing:taskstate:{state.pk}:reminder"]
    reminder = OutboxMessage.objects.get(kind="publishing_reminder")
    assert reminder.to == [people["head"].email]
    assert "8 ธันวาคม 2568 เวลา 15:00 น." in reminder.body
    # Past due: the directors (one level up from the group head) hear of it once.
    late = MONDAY + dt.timedelta(minutes=1)
    assert tasks.sweep(now=late) == {"reminded": 0, "escalated": 1}
    assert tasks.sweep(now=late + dt.timedelta(hours=3)) == {"reminded": 0, "escalated": 0}
    assert keys("publishing_escalation") == [f"publishing:taskstate:{state.pk}:escalation"]
    escalation = OutboxMessage.objects.get(kind="publishing_escalation")
    assert escalation.to == [people["director"].email]
    assert people["head"].get_full_name() in escalation.body
    # An approved step is never chased again; the next step has its own clock.
    with at(late + dt.timedelta(hours=2)):
        act(page, people["head"])
    assert current_state(page).due_at == dt.datetime(2025, 12, 9, 16, 30, tzinfo=BANGKOK)
    tuesday_10 = dt.datetime(2025, 12, 9, 10, 0, tzinfo=BANGKOK)
    assert tasks.sweep(now=tuesday_10) == {"reminded": 0, "escalated": 0}
    assert OutboxMessage.objects.filter(kind="publishing_escalation").count() == 1


def test_publication_is_swept_by_the_shared_sla_schedule():
    from services.core.schedules import SCHEDULES
    from services.tickets.sla import sweep_all as sla_sweep

    assert ("sla sweep", "services.tickets.sla.sweep_all", "I", 1, None) in SCHEDULES
    result = sla_sweep()
    assert result["publication"] == {"reminded": 0, "escalated": 0}
    assert result["tickets"] == {"escalated": 0}


def test_dashboard_shows_due_and_overdue_to_the_reviewers(publication, people, client):
    with at(THURSDAY):
        late_page = submit(publication, people["staff"], title="เรื่องที่เกินกำหนดแล้ว")
    submit(publication, people["staff"], title="เรื่องที่เพิ่งส่ง")
    client.force_login(people["head"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "งานเผยแพร่ที่รอท่านพิจารณา" in html
    assert "เรื่องที่เกินกำหนดแล้ว" in html and "เรื่องที่เพิ่งส่ง" in html
    assert "8 ธันวาคม 2568 เวลา 15:00 น." in html
    assert html.count("publishing-due--overdue") == 1
    assert html.index("เรื่องที่เกินกำหนดแล้ว") < html.index("เรื่องที่เพิ่งส่ง")
    # The director has nothing on this step yet; the staff author reviews nothing.
    for who in ("director", "staff"):
        client.force_login(people[who])
        assert (
            "งานเผยแพร่ที่รอท่านพิจารณา" not in client.get(reverse("wagtailadmin_home")).content.decode()
        )
    act(late_page, people["head"])
    client.force_login(people["director"])
    assert "เรื่องที่เกินกำหนดแล้ว" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_turnaround_report_counts_time_and_breaches(publication, people, client):
    with at(THURSDAY):
        late = submit(publication, people["staff"], title="เรื่องล่าช้า")
    with at(dt.datetime(2025, 12, 9, 10, 0, tzinfo=BANGKOK)):  # past Monday 15:00
        act(late, people["head"])
    with at(dt.datetime(2025, 12, 9, 11, 0, tzinfo=BANGKOK)):
        act(late, people["director"])
    with at(dt.datetime(2025, 12, 9, 11, 30, tzinfo=BANGKOK)):
        act(late, people["officer"])
    with at(dt.datetime(2025, 12, 10, 9, 0, tzinfo=BANGKOK)):  # Constitution Day
        on_time = submit(publication, people["staff"], title="เรื่องทันเวลา")
    data = turnaround(fiscal_year_ce=2026, now=dt.datetime(2025, 12, 11, 9, 0, tzinfo=BANGKOK))
    rows = {row.page.title: row for row in data["rows"]}
    head_cell = rows["เรื่องล่าช้า"].cells[0]
    # Thursday 15:00 -> Tuesday 10:00 in office time: 90 + 480 + 90 minutes.
    assert head_cell.spent == 660 and head_cell.target == 480 and head_cell.breached
    assert not rows["เรื่องล่าช้า"].cells[1].breached
    assert rows["เรื่องทันเวลา"].cells[0].running
    # Submitted on a holiday: the clock starts Thursday 08:30, 30 minutes by 09:00.
    assert rows["เรื่องทันเวลา"].cells[0].spent == 30
    by_task = {task.name: (breached, total) for task, breached, total in data["by_task"]}
    assert by_task[TASKS[0][0]] == (1, 2)
    assert by_task[TASKS[1][0]] == (0, 1)
    assert data["by_month"] == [("ธ.ค. 2568", [1, 0, 0])]
    assert Page.objects.get(pk=on_time.pk).specific.title == "เรื่องทันเวลา"

    client.force_login(make_user("t_exec", EXECUTIVES, "ธนพล", "ผู้บริหาร"))
    url = reverse("publishing_turnaround") + "?year=2569"
    html = client.get(url).content.decode()
    assert "ธ.ค. 2568" in html and "เรื่องล่าช้า" in html and "เกินกำหนด" in html
    assert "4 ธันวาคม 2568" in html
    client.force_login(people["staff"])
    response = client.get(url)
    assert response.status_code in (302, 403)


def test_demo_is_idempotent(publication):
    from wagtail.models import Task, Workflow, WorkflowState

    from publishing.demo import build

    build(log=lambda *_: None)
    counts = (
        Workflow.objects.count(),
        Task.objects.count(),
        WorkflowState.objects.count(),
        Page.objects.count(),
        OutboxMessage.objects.count(),
    )
    build(log=lambda *_: None)
    assert counts == (
        Workflow.objects.count(),
        Task.objects.count(),
        WorkflowState.objects.count(),
        Page.objects.count(),
        OutboxMessage.objects.count(),
    )
    assert WorkflowState.objects.filter(status="in_progress").count() == 2


def test_timezone_is_bangkok():
    assert timezone.get_current_timezone_name() == "Asia/Bangkok"
