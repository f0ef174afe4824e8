"""Tickets: one request from the public with its own copy of the service's steps.

- ``models``: ``Ticket``, ``TicketStep``, attachments, messages and the reference sequence
- ``moves``: the one place that decides and performs a ticket's moves
- ``sla``: on time, due soon or breached, and the per-minute sweep that escalates
- ``notify``: the e-mails about tickets and bookings, all through the outbox

May import: ``services.catalogue``, ``services.core`` and ``home``. Packages above
(bookings, surveys, requests, desk, reports) call in here; news goes up only through
signals (``moves.ticket_ended``, ``sla.sla_sweep_requested``, Django's ``post_save``)
that those packages connect to at start-up.
"""
