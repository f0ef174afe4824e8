"""Template helpers of the desk: may the requester cancel, the SLA badge."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from services.tickets.moves import requester_may_cancel
from services.tickets.sla import BREACHED, DUE_SOON, ON_TIME, step_state

register = template.Library()

SLA_LABELS = {ON_TIME: _("ตรงเวลา"), DUE_SOON: _("ใกล้ครบกำหนด"), BREACHED: _("เกินกำหนด")}


@register.simple_tag
def requester_can_cancel(ticket):
    return requester_may_cancel(ticket)


@register.simple_tag
def sla_badge(step, now=None):
    state = step_state(step, now)
    if state is None:
        return ""
    return format_html('<span class="sla-badge sla-badge--{}">{}</span>', state, SLA_LABELS[state])
