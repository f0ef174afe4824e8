"""Models of the services app, one module per concern."""

from .bookings import Booking, CalendarFeed, Resource  # noqa: F401
from .outbox import OutboxMessage  # noqa: F401
from .pages import FormKind, ServiceFormField, ServiceIndexPage, ServicePage  # noqa: F401
from .reports import StoredReport  # noqa: F401
from .surveys import SCORE_FIELDS, SurveyResponse  # noqa: F401
from .tickets import (  # noqa: F401
    Ticket,
    TicketAttachment,
    TicketMessage,
    TicketSequence,
    TicketStep,
)
