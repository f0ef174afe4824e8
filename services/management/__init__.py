"""Management commands of the services app (``manage.py load_demo``,
``setup_demo_accounts``); each command only parses its options and calls a package.

May import: every package of ``services`` and ``home`` (top layer, beside ``urls``,
``wagtail_hooks`` and ``templatetags``). Not ``publishing`` or ``cms``.
"""
