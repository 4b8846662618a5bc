"""Pieces of HTML kept by the data they show: the same rows, map or form are drawn once per process.

A fragment's key is a digest of every value it shows, with the language, time zone and release it
is drawn in. A fragment is therefore never stale — other data, another key — and needs no
invalidation, only eviction: the store (``CACHES["fragments"]``, per process, least recently used
first) is bounded. This is not the page cache: the page's data is read afresh on every request,
signed-in or not, whatever the filters; only the drawing of data already drawn is skipped, so a
page with a filter combination never seen before still reuses the rows it shares with others.

Only plain values may be keys (text, numbers, dates, and lists, tuples, dicts and sets of them): a
model instance's text is not its content, so passing one is a TypeError, not a stale fragment.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import pickle
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from coalition import versioning

CACHE = "fragments"
# Stands for the reader's CSRF token in kept HTML; unguessable, so no text can pass for it.
_CSRF_MARK = "csrf-" + secrets.token_hex(16)
_PLAIN = (datetime.date, datetime.time, datetime.timedelta, datetime.tzinfo, decimal.Decimal)


class _PlainPickler(pickle.Pickler):
    # Pickle's C code serialises the data; this hook sees every value that is not a str, number,
    # list, tuple, dict or set, and lets through only dates and decimals, and lazy translations as text.
    def reducer_override(self, obj):
        if isinstance(obj, _PLAIN) or (isinstance(obj, type) and issubclass(obj, (str, *_PLAIN))):
            return NotImplemented  # the value, or its class named as the pickle rebuilds it
        if isinstance(obj, Promise):
            return str, (str(obj),)
        raise TypeError(f"a fragment's key must be plain data, not {type(obj).__name__}")


def digest(*values) -> str:
    """A digest of plain values: equal for equal data, different for different data (in one process)."""
    buffer = io.BytesIO()
    _PlainPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(values)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def key(name: str, *values) -> str:
    context = (get_language() or "", timezone.get_current_timezone_name(), versioning.release())
    return "fragment:" + name + ":" + digest(*context, *values)


def drawn(name: str, values, draw: Callable[[], str], *, of_data: bool = False) -> SafeString:
    """The fragment ``name`` showing ``values``: kept if drawn before, else drawn by ``draw()`` and kept.

    ``of_data``: the fragment shows what the database holds now (a whole page's body, say), too much to
    list as values; it is then also keyed by the data version, so it is drawn again after any change.
    ``values`` may be a function giving them, asked only when the fragment may be kept.
    """
    if not settings.REUSE_RENDERING or (of_data and versioning.pending()):
        return mark_safe(str(draw()))
    if callable(values):
        values = values()
    if of_data:
        values = [versioning.current(), *values]
    store = caches[CACHE]
    fragment_key = key(name, *values)
    html = store.get(fragment_key)
    if html is None:
        html = str(draw())
        store.set(fragment_key, html, None)
    return mark_safe(html)


def template_of_data(template_name: str, values, context: Callable[[], dict], request=None, *,
                     keep: bool = True) -> SafeString:
    """``template_name`` drawn with ``context()``, showing what the database holds now (a page's body):
    kept until the data changes. ``values`` are whatever else it shows (a country, the day); ``keep``
    False draws it without keeping it (a form showing what was typed).

    Its forms' CSRF tokens belong to each reader: they are kept as a mark and the reader's own token
    is put in their place on the way out.
    """
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string

    def draw():
        return render_to_string(template_name, {**context(), "csrf_token": _CSRF_MARK}, request=request)

    html = drawn(template_name, values, draw, of_data=True) if keep else mark_safe(draw())
    if request is not None and _CSRF_MARK in html:
        html = mark_safe(html.replace(_CSRF_MARK, get_token(request)))
    return html
