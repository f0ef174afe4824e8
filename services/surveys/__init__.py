"""Satisfaction surveys: one answer per resolved ticket, or a walk-in's answer.

- ``models``: the answers
- ``surveys``: signed one-time links, the invitation e-mail, the form and saving
- ``signals``: the receiver that invites the requester when a ticket is resolved

May import: ``services.tickets``, ``services.catalogue``, ``services.core`` and ``home``.
Never ``services.bookings`` (independent sibling) nor anything above. The public pages
that show the form live in ``services.requests``.
"""
