"""What the public does: request forms, submission, tracking and survey pages.

- ``forms``: the public request forms, every typed text through the sanitiser
- ``submission``: a valid form becomes a ticket, in one transaction
- ``views``, ``tracking``, ``cancel``: the form, confirmation and tracking pages,
  who may see a ticket, and the requester's own cancel
- ``survey_views``: the signed survey link and each service's walk-in survey

May import: ``services.reports`` and every package below it (``bookings``,
``surveys``, ``tickets``, ``catalogue``, ``core``) and ``home``. Not ``desk``,
``demo`` or the app glue (``urls``, ``wagtail_hooks``).
"""
