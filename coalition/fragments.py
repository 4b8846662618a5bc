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
from collections.abc import Callable

from django.core.cache import caches
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CACHE = "fragments"
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
    from coalition.versioning import release

    return "fragment:" + name + ":" + digest(get_language() or "", timezone.get_current_timezone_name(), release(),
                                             *values)


def drawn(name: str, values, draw: Callable[[], str]) -> SafeString:
    """The fragment ``name`` showing ``values``: kept if drawn before, else drawn by ``draw()`` and kept."""
    from django.conf import settings

    if not settings.REUSE_RENDERING:
        return mark_safe(str(draw()))
    store = caches[CACHE]
    fragment_key = key(name, *values)
    html = store.get(fragment_key)
    if html is None:
        html = str(draw())
        store.set(fragment_key, html, None)
    return mark_safe(html)
