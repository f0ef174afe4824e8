"""Bookings: resources officers lend (Zoom accounts, rooms, streaming kits) and their slots.

- ``models``: resources, confirmed bookings and the revocable calendar feeds
- ``scheduling``: ``confirm_booking`` (no two confirmed bookings of a resource overlap),
  reminders, and the receiver that cancels a booking when its ticket ends
- ``calendar``: the iCal feeds behind a secret address

May import: ``services.tickets``, ``services.catalogue``, ``services.core`` and ``home``.
Never ``services.surveys`` (independent sibling) nor anything above.
"""
