"""Template helpers of the desk (``desk_tags``): may the requester cancel, the SLA badge.

May import: every package of ``services`` and ``home`` (top layer, beside ``urls``,
``wagtail_hooks`` and ``management``). Not ``publishing`` or ``cms``.
"""
