"""The project's URLs plus views that fail, for the error pages' tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from klachtenregister.config.urls import handler403, handler404, handler500, urlpatterns
from klachtenregister.register.errors import Forbidden


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("postgres://klachten:s3cret-password@db/klachten is broken")


def refuses(request: HttpRequest) -> HttpResponse:
    raise Forbidden("U bent zelf beklaagde in deze klacht.")


urlpatterns = [path("fails/", fails), path("refuses/", refuses), *urlpatterns]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
