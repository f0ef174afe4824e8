"""Admin views of the desk: the ticket list's SLA filter, the ticket view with
its timeline, history and action forms, and the dashboard panels.

Views only read forms and call ``moves``; a refused move is shown as a
message on the same page with what was typed kept (status 409), invalid
input next to its field (status 400).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.paginator import InvalidPage
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.log_actions import registry as log_registry
from wagtail_modeladmin.views import IndexView, InspectView

from services.core import roles
from services.core.models import OutboxMessage
from services.desk.forms import FORMS
from services.desk.outbox_admin import ReadOnlyPermissionHelper
from services.requests.forms import answer_items
from services.tickets import moves, sla
from services.tickets.models import PendingRequest, Ticket, TicketSequence


class DeskPermissionHelper(ReadOnlyPermissionHelper):
    """Officers, approvers, directors and executives see the desk; tickets are
    only changed through moves, never through an edit form."""

    def may_see(self, user):
        return roles.sees_desk(user)


class SlaStateFilter(SimpleListFilter):
    title = _("สถานะ SLA")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [
            (state, label)
            for state, label in (
                (sla.BREACHED, sla.STATE_LABELS[sla.BREACHED]),
                (sla.DUE_SOON, sla.STATE_LABELS[sla.DUE_SOON]),
                (sla.ON_TIME, sla.STATE_LABELS[sla.ON_TIME]),
                (sla.PAUSED, sla.STATE_LABELS[sla.PAUSED]),
            )
        ]

    def queryset(self, request, queryset):
        if self.value() in sla.STATE_LABELS:
            return sla.filter_by_state(queryset, self.value())
        return queryset


class FiscalYearFilter(SimpleListFilter):
    title = _("ปีงบประมาณ")
    parameter_name = "fy"

    def lookups(self, request, model_admin):
        # One row per year in the sequence table, instead of a DISTINCT over all tickets.
        years = TicketSequence.objects.order_by("-fiscal_year").values_list(
            "fiscal_year", flat=True
        )
        return [(str(year), gettext("พ.ศ. %(year)s") % {"year": year}) for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(fiscal_year=int(self.value()))
        return queryset


# The desk counts matching tickets up to this many and says "more than" beyond:
# an exact count of a filtered million-row table is a full scan on every page.
COUNT_CAP = 5000


class CappedPaginator(WagtailPaginator):
    """Pages through at most COUNT_CAP rows, counted with a LIMIT."""

    def __init__(self, object_list, per_page, capped_count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._capped_count = capped_count

    @property
    def count(self):
        return min(self._capped_count, COUNT_CAP)


def capped_count(queryset, cap=COUNT_CAP):
    """How many rows match, counting no further than cap + 1."""
    return queryset.order_by().values("pk")[: cap + 1].count()


def tickets_ever():
    """All tickets without a scan: the last reference number of each fiscal year."""
    from django.db.models import Sum

    return TicketSequence.objects.aggregate(total=Sum("last"))["total"] or 0


class TicketIndexView(IndexView):
    """The desk list with counts that stay cheap at a million tickets."""

    def get_context_data(self, **kwargs):
        context = super(IndexView, self).get_context_data(**kwargs)
        queryset = self.get_queryset()
        count = capped_count(queryset)
        paginator = CappedPaginator(queryset, self.items_per_page, count)
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        if count > COUNT_CAP:
            result_count = gettext("มากกว่า %(count)s") % {"count": f"{COUNT_CAP:,}"}
        else:
            result_count = f"{count:,}"
        context.update(
            {
                "view": self,
                "all_count": f"{tickets_ever():,}",
                "result_count": result_count,
                "paginator": paginator,
                "page_obj": page_obj,
                "elided_page_range": paginator.get_elided_page_range(self.page_num),
                "object_list": page_obj.object_list,
                "user_can_create": self.permission_helper.user_can_create(self.request.user),
                "show_search": self.search_handler.show_search_form,
            }
        )
        return context


class TicketInspectView(InspectView):
    """Timeline, history and the moves the user may make, with their forms."""

    def get_page_title(self):
        return self.instance.reference

    def get_page_subtitle(self):
        return self.instance.service_title

    def get_context_data(self, bound=None, refused="", **kwargs):
        ticket = self.instance
        user = self.request.user
        steps = list(ticket.steps.select_related("done_by"))
        current = next((s for s in steps if s.status not in moves.FINISHED), None)
        allowed = moves.allowed_moves(ticket, user)
        forms = {}
        for name in allowed:
            if bound is not None and bound.move == name:
                forms[name] = bound
            else:
                forms[name] = FORMS[name](ticket=ticket, step=current)
        actions = [
            {"name": name, "label": moves.RULES[name].label, "form": forms[name]}
            for name in allowed
        ]
        return super().get_context_data(
            ticket=ticket,
            steps=steps,
            current=current,
            actions=actions,
            history=history(ticket),
            refused=refused,
            now=timezone.now(),
            bookings=ticket.bookings.select_related("resource", "confirmed_by"),
            attachments=ticket.attachments.select_related("message"),
            read_only=roles.is_read_only(user) and not allowed,
            answers=answer_items(ticket),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        name = request.POST.get("move", "")
        form_class = FORMS.get(name)
        current = self.instance.current_step
        if form_class is None:
            return self._refused(None, gettext("ไม่รู้จักการดำเนินการนี้"))
        form = form_class(request.POST, request.FILES, ticket=self.instance, step=current)
        if not form.is_valid():
            messages.error(request, gettext("กรุณาแก้ไขข้อมูลที่ทำเครื่องหมายไว้"))
            return self.render_to_response(self.get_context_data(bound=form), status=400)
        try:
            moves.perform(name, self.instance, request.user, **form.cleaned_data)
        except moves.MoveNotAllowed as refused:
            return self._refused(form, refused.message)
        messages.success(
            request, gettext("%(move)s เรียบร้อยแล้ว") % {"move": moves.RULES[name].label}
        )
        return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))

    def _refused(self, form, message):
        messages.error(self.request, message)
        self.instance.refresh_from_db()
        return self.render_to_response(
            self.get_context_data(bound=form, refused=message), status=409
        )


def history(ticket):
    """Audit entries and messages of a ticket, newest first."""
    items = []
    for entry in log_registry.get_logs_for_instance(ticket).select_related("user"):
        formatter = log_registry.get_formatter(entry)
        items.append(
            {
                "when": entry.timestamp,
                "user": entry.user,
                "kind": "log",
                "action": entry.action,
                "text": formatter.format_message(entry) if formatter else entry.action,
                "data": entry.data,
            }
        )
    for message in ticket.messages.select_related("author").prefetch_related("files"):
        items.append(
            {
                "when": message.created_at,
                "user": message.author,
                "kind": (
                    "requester"
                    if message.from_requester
                    else ("public" if message.is_public else "internal")
                ),
                "text": message.body,
                "files": list(message.files.all()),
            }
        )
    return sorted(items, key=lambda item: item["when"], reverse=True)


# --- dashboard panels ------------------------------------------------------------
class TicketPanel(Component):
    template_name = "services/admin/desk_panel.html"
    limit = 10
    title = ""
    empty = ""
    order = 50

    def __init__(self, user):
        self.user = user

    def tickets(self, now):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        now = timezone.now()
        queryset = self.tickets(now)
        rows = list(
            sla.with_sla(queryset.select_related("active_step", "assignee"), now)[: self.limit]
        )
        return {
            "title": self.title,
            "empty": self.empty,
            "rows": rows,
            "now": now,
            "count": queryset.count(),
            "panel": self,
        }


class MyTicketsPanel(TicketPanel):
    name = "desk_my_tickets"
    title = _("คำขอที่ฉันรับผิดชอบ")
    empty = _("ยังไม่มีคำขอที่ท่านรับผิดชอบ")
    order = 40

    def tickets(self, now):
        return Ticket.objects.filter(status=Ticket.Status.OPEN, assignee=self.user).order_by(
            "active_step__due_at"
        )


class DueSoonPanel(TicketPanel):
    name = "desk_due_soon"
    title = _("ใกล้ครบกำหนดและเกินกำหนด")
    empty = _("ไม่มีคำขอที่ใกล้ครบกำหนด")
    order = 45

    def tickets(self, now):
        return Ticket.objects.filter(
            Q(status=Ticket.Status.OPEN)
            & (sla.ticket_state_q(sla.DUE_SOON, now) | sla.ticket_state_q(sla.BREACHED, now))
        ).order_by("active_step__due_at")


class AwaitingApprovalPanel(TicketPanel):
    name = "desk_awaiting_approval"
    title = _("รอการอนุมัติจากฉัน")
    empty = _("ไม่มีคำขอที่รออนุมัติ")
    order = 42

    def tickets(self, now):
        return Ticket.objects.filter(
            awaiting_approval_q(self.user), status=Ticket.Status.OPEN, active_step__kind="approval"
        ).order_by("active_step__due_at")


class StuckWorkPanel(Component):
    """For officers, and only while something needs a hand: messages the outbox
    gave up sending, and public requests not made into tickets after
    ``STUCK_MINUTES`` (the task cluster is stopped, or a request fails), each
    with a link to its list."""

    name = "desk_stuck_work"
    template_name = "services/admin/stuck_panel.html"
    order = 30
    STUCK_MINUTES = 5

    def __init__(self):
        since = timezone.now() - dt.timedelta(minutes=self.STUCK_MINUTES)
        self.failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
        self.waiting = PendingRequest.objects.filter(received_at__lt=since).count()

    def render_html(self, parent_context=None):
        if not (self.failed or self.waiting):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        return {
            "panel": self,
            "failed": self.failed,
            "waiting": self.waiting,
            "minutes": self.STUCK_MINUTES,
        }


def awaiting_approval_q(user):
    """Tickets whose active approval step ``user`` may act on (``roles.may_approve``)."""
    if user.is_superuser:
        return Q()
    mine = roles.approval_roles(user)
    q = Q(active_step__role__in=mine)
    if roles.APPROVER in mine:  # an approval step naming no approval role is the group head's
        q |= ~Q(active_step__role__in=roles.APPROVAL_ROLES)
    return q if mine else Q(pk__in=[])


def homepage_panels(request, panels):
    user = request.user
    if not roles.sees_desk(user):
        return
    if roles.is_officer(user):
        panels.append(StuckWorkPanel())
    if roles.has_role(user, roles.OFFICER):
        panels.append(MyTicketsPanel(user))
    if roles.approves_anything(user):
        panels.append(AwaitingApprovalPanel(user))
    panels.append(DueSoonPanel(user))
