"""Right-to-left readiness: a page rendered in a right-to-left language turns around."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


@pytest.mark.django_db
def test_pages_render_right_to_left_for_rtl_languages():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/en/")
    request.user = AnonymousUser()
    with translation.override("ar"):
        html = render_to_string("home.html", request=request)
    assert '<html lang="ar" dir="rtl">' in html
    with translation.override("ru"):
        assert '<html lang="ru" dir="ltr">' in render_to_string("home.html", request=request)


def test_stylesheet_uses_logical_directions():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    # Physical left/right alignment would not flip in right-to-left pages.
    assert "text-align: left" not in css and "text-align: right" not in css
    assert "text-align: start" in css
