"""All demo content, loaded by ``manage.py load_demo``.

Each part is a plain function ``build(log)`` that looks its objects up by a
stable key first, so loading twice changes nothing. Apps above ``services``
(the publication workflow) add their parts with the ``register_demo_content``
Wagtail hook; they run after the parts here.

May import: every package of ``services``, ``home``.
"""

from wagtail import hooks


def parts():
    """The demo parts in the order they must run."""
    from services.demo import catalogue, desk, history, search, site

    # Past requests with survey answers before today's desk work, so the desk
    # lists today's tickets on top.
    return [
        site.build,
        catalogue.build,
        search.build,
        history.build,
        desk.build,
        *hooks.get_hooks("register_demo_content"),
    ]


def load_demo(log=print):
    for build in parts():
        build(log=log)
