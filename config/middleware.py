"""Swedish first: the interface is Swedish unless the user has chosen English.

Django's LocaleMiddleware follows the browser's Accept-Language header, so a municipal
officer whose browser is set to English would get an English interface they never
asked for. Here only an explicit choice (the language cookie set by ``set_language``)
changes the language; otherwise ``LANGUAGE_CODE`` (Swedish) applies.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SwedishFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
