from django.http import HttpResponse
from django.urls import path

from coalition.urls import urlpatterns as site_patterns


def bare(request):
    """Django's floor: routing, middleware and a response, no queries or templates."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare", bare), *site_patterns]
