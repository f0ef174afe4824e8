"""The rules everything else leans on; it knows nothing of pages, tickets or bookings.

- ``roles``: the Django groups and the one answer to "may this user ...?"
- ``clock``: the business clock (office hours, Thai public holidays, Asia/Bangkok)
- ``targets``: time targets of steps and how a person reads them
- ``models`` and ``outbox``: the outbox; ``queue_email`` and its delivery
- ``schedules``: the Django-Q2 schedules, created after ``migrate``
- ``ratelimit``: per-client limits kept in the cache
- ``sanitise``: the one sanitiser; ``uploads``: the one upload validator
- ``qr``: QR codes as PNG and SVG

May import: Django, Wagtail, third-party libraries and the standard library only.
It is the bottom layer of ``services`` (see ``[tool.importlinter]`` in pyproject.toml):
no other package of ``services`` and no app (``home``, ``publishing``). Higher layers
name its Django-Q2 tasks by dotted path in ``schedules.SCHEDULES``.
"""
