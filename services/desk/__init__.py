"""The officers' desk in the Wagtail admin: the views around a ticket's moves.

- ``admin_views``: the ticket list's filters, the ticket view (timeline, history,
  action forms) and the dashboard panels
- ``forms``: one small form per move; whether a move is allowed is decided by
  ``services.tickets.moves``, never here
- ``outbox_admin``: read-only outbox views and the retry of failed messages

May import: ``services.requests`` and every package below it, and ``home``.
Not ``demo`` or the app glue (``urls``, ``wagtail_hooks``, ``management``),
which registers these views.
"""
