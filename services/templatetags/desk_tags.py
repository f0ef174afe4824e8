"""Template helpers of the desk: may the requester cancel, the SLA badge."""

from django import template
from django.utils.html import format_html

from services.tickets.deadlines import STATE_LABELS, step_state
from services.tickets.moves import requester_may_cancel
from services.tickets.sla import ticket_state

register = template.Library()


@register.simple_tag
def requester_can_cancel(ticket):
    return requester_may_cancel(ticket)


def badge(state):
    """The SLA badge of a state (empty for None); the desk list uses it too."""
    if state is None:
        return ""
    return format_html(
        '<span class="sla-badge sla-badge--{}">{}</span>', state, STATE_LABELS[state]
    )


@register.simple_tag
def sla_badge(step, now=None):
    """The badge of one step (the steps of the ticket view)."""
    return badge(step_state(step, now))


@register.simple_tag
def ticket_sla_badge(ticket, now=None):
    """The badge of a whole ticket: the same state as the desk list filter."""
    return badge(ticket_state(ticket, now))


@register.filter
def may_enter_tickets(user):
    from services.core.roles import may_enter_tickets as allowed

    return allowed(user)
