"""Thai for every visitor unless they chose English with the language switch.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``, so a
browser set to English gets English menus around Thai content. This office's
site is Thai first: the language comes only from the cookie the switch sets
(``django.views.i18n.set_language``), and from ``LANGUAGE_CODE`` otherwise.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request):
    """The language the visitor chose with the switch, or the site's default."""
    return language_in_cookies(request.COOKIES)


def language_in_cookies(cookies):
    """``chosen_language`` from a request's parsed cookies."""
    language = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
    if language in dict(settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The language depends on the cookie only, never on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
