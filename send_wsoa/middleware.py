from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateByDefaultMiddleware:
    """Every page and download is kept by no shared proxy and no browser cache: they hold a
    person's plan data, and a public computer must not show them to the next person. Static
    files never reach here (WhiteNoise answers them first); a page that is public and meant
    to be cached says so itself with its own Cache-Control."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
