"""The service catalogue: the published service standards as Wagtail pages.

- ``models``: ``ServicePage`` (the standard, its request form's extra fields, and the
  steps every ticket copies when it is submitted) and the catalogue index page
- ``blocks``: the StreamField blocks of a standard (steps, responsible officers)

May import: ``services.core`` and ``home`` (page base classes, office settings).
Not ``tickets`` or anything above it, and never ``bookings`` or ``surveys``
(independent siblings). The public request views are attached to ``ServicePage``
at start-up by ``ServicesConfig.ready``.
"""
