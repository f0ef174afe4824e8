"""Security headers beside django-csp's Content-Security-Policy.

The site's own pages allow no inline script (scripts live in static/).
Wagtail's admin still writes a few inline scripts in its widgets (date
pickers, inline panels), so for /admin/ alone the policy adds 'unsafe-inline'
to script-src; everything else (frames, objects, forms, other origins) stays
as strict as on the public site.
"""

ADMIN_PREFIX = "/admin/"


class AdminScriptPolicyMiddleware:
    """Placed after csp.middleware.CSPMiddleware, so it sees the response first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = ["'unsafe-inline'"]
            response._csp_update = update
        return response
