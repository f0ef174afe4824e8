"""Wagtail hooks of the public site."""

from urllib.parse import urlsplit

from wagtail import hooks

from home.pagecache import mark_cacheable


@hooks.register("on_serve_page")
def page_cache_marker(next_serve_page):
    """Marks a page's own URL as cacheable once every serve check has passed.

    Sub-routes (a service page's confirmation, QR codes, posters) keep their
    own URLs and are never marked.
    """

    def serve(page, request, args, kwargs):
        if request.method == "GET" and not getattr(request, "is_preview", False):
            url = page.get_url(request)
            if url and urlsplit(url).path == request.path:
                mark_cacheable(request)
        return next_serve_page(page, request, args, kwargs)

    return serve
