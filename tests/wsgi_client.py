"""Requests through the site's WSGI entry point (cms/wsgi.py), as gunicorn makes them:
the layers in front of Django (stored pages, the request form's quick path) run too."""

import io
import sys


def wsgi_request(method, path, body=b"", headers=None, cookies=None, application=None):
    """(status, headers, body bytes) of one request; ``headers`` are WSGI keys
    (``CONTENT_TYPE``, ``HTTP_ORIGIN``, …)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    if application is None:
        from cms.wsgi import application
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        **(headers or {}),
    }
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    started = {}
    # As Django's test client does: the test's database connection stays open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(
            environ, lambda status, headers, exc=None: started.update(s=status, h=headers)
        )
        answer = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["s"], started["h"], answer
