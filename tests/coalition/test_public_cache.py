"""Public pages: a copy for anonymous visitors, never for signed-in people."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from coalition.http import public_cache


@pytest.fixture
def counted_view(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    calls = []

    def view(request):
        calls.append(request.user)
        return HttpResponse(f"render {len(calls)}")

    return public_cache(view, params=("region",)), calls


def request_as(user, path="/en/members/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_anonymous_visitors_share_a_cached_copy(counted_view):
    view, calls = counted_view
    first = view(request_as(AnonymousUser()))
    second = view(request_as(AnonymousUser()))
    assert len(calls) == 1 and second.content == first.content
    assert "public" in first["Cache-Control"] and "Cookie" in first["Vary"]
    view(request_as(AnonymousUser(), "/en/members/?region=AFR"))
    assert len(calls) == 2  # another URL, another copy


@pytest.mark.django_db
def test_signed_in_people_always_get_a_fresh_private_page(counted_view, user):
    view, calls = counted_view
    view(request_as(AnonymousUser()))
    request = request_as(user)
    request.COOKIES["sessionid"] = "abc"
    request.META["HTTP_COOKIE"] = "sessionid=abc"
    response = view(request)
    view(request)
    assert len(calls) == 3
    assert "private" in response["Cache-Control"]


def test_cache_can_be_turned_off(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    calls = []
    view = public_cache(lambda request: calls.append(1) or HttpResponse("x"))
    view(request_as(AnonymousUser()))
    view(request_as(AnonymousUser()))
    assert len(calls) == 2
