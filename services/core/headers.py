"""Security headers beside django-csp's Content-Security-Policy.

The site's own pages allow no inline script and no inline style (scripts and
styles live in static/). Wagtail's admin is not yet written for a strict policy
(wagtail/wagtail#1288): its page listings and widgets (date pickers, inline
panels) write inline scripts, and its widgets and editors set style attributes.
So for /admin/ alone the policy adds 'unsafe-inline' to script-src and
style-src; everything else (frames, objects, forms, other origins) stays as
strict as on the public site.
"""

ADMIN_PREFIX = "/admin/"
ADMIN_INLINE = ("script-src", "style-src")


class AdminScriptPolicyMiddleware:
    """Placed after csp.middleware.CSPMiddleware, so it sees the response first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            update = dict(getattr(response, "_csp_update", None) or {})
            for directive in ADMIN_INLINE:
                update[directive] = ["'unsafe-inline'"]
            response._csp_update = update
        return response
