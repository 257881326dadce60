"""cite's URLs, and /bench/bare: a view that returns a fixed string through the whole middleware stack."""

from django.http import HttpResponse
from django.urls import path

from cite.urls import handler500  # noqa: F401 (handler500 is read from here)
from cite.urls import urlpatterns as cite_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *cite_urlpatterns]
