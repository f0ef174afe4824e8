"""The turnaround report: time in each step against its target, and breaches.

Plain functions over the task states of the publication workflow, grouped by
submission round (one WorkflowState) and by the month a step started; times
are counted on the business clock as each step's target is.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from home import thai
from publishing.models import TimedGroupApprovalTask, TimedTaskState
from publishing.workflow import get_workflow


def format_minutes(minutes):
    """'1 วัน 2 ชม. 5 นาที' style, with office days of the business clock."""
    from services.core.clock import get_clock

    day = get_clock().day_minutes
    days, rest = divmod(int(minutes), day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s วันทำการ") % {"n": days})
    if hours:
        parts.append(_("%(n)s ชม.") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)s นาที") % {"n": mins})
    return " ".join(parts)


def month_label(moment):
    local = timezone.localtime(moment)
    return f"{thai.THAI_MONTHS_SHORT[local.month - 1]} {thai.be_year(local.year)}"


@dataclass
class Cell:
    state: TimedTaskState
    spent: int
    target: int
    breached: bool
    running: bool


@dataclass
class Row:
    workflow_state: object
    page: object
    cells: list = field(default_factory=list)


def _tasks(workflow):
    return list(
        TimedGroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).order_by(
            "workflow_tasks__sort_order"
        )
    )


def _states(workflow, fiscal_year_ce=None):
    states = (
        TimedTaskState.objects.filter(workflow_state__workflow=workflow)
        .exclude(status=TaskState.STATUS_CANCELLED)
        .select_related("workflow_state", "workflow_state__requested_by", "task")
        .order_by("started_at")
    )
    if fiscal_year_ce:
        start, end = thai.fiscal_year_bounds(fiscal_year_ce)
        states = states.filter(started_at__date__gte=start, started_at__date__lte=end)
    return states


def turnaround(fiscal_year_ce=None, now=None):
    """Rows (newest first), per-task breach counts and per-month breach counts."""
    from wagtail.models import Page

    now = now or timezone.now()
    workflow = get_workflow()
    if workflow is None:
        return {"tasks": [], "rows": [], "by_task": [], "by_month": []}
    tasks = _tasks(workflow)
    task_index = {task.pk: i for i, task in enumerate(tasks)}
    targets = {task.pk: task.target_minutes() for task in tasks}
    rows = OrderedDict()
    per_task = {task.pk: [0, 0] for task in tasks}  # breached, total
    per_month = OrderedDict()
    for state in _states(workflow, fiscal_year_ce):
        if state.task_id not in task_index:
            continue
        state.task = tasks[task_index[state.task_id]]
        ws = state.workflow_state
        row = rows.get(ws.pk)
        if row is None:
            page = Page.objects.filter(pk=ws.object_id).first()
            row = rows[ws.pk] = Row(ws, page and page.specific, [None] * len(tasks))
        running = state.status == TaskState.STATUS_IN_PROGRESS
        breached = state.is_overdue(now)
        row.cells[task_index[state.task_id]] = Cell(
            state, state.spent_minutes(now), targets[state.task_id], breached, running
        )
        per_task[state.task_id][1] += 1
        label = month_label(state.started_at)
        month = per_month.setdefault(label, [0] * len(tasks))
        if breached:
            per_task[state.task_id][0] += 1
            month[task_index[state.task_id]] += 1
    return {
        "tasks": tasks,
        "rows": list(reversed(rows.values())),
        "by_task": [(task, *per_task[task.pk]) for task in tasks],
        "by_month": list(per_month.items()),
    }
