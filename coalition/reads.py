"""Reads kept until the data changes: a selector's answer, computed once per process for the same
arguments, day and data version (``coalition.versioning``), for everyone who asks — signed in or
not, whatever page or filter asks.

Never stale: the version changes after every commit that writes the project's data, and a key holds
it, so a read after a change misses and reads the database again. A transaction that has written and
not yet committed reads the database itself (what it sees is newer than the version says), once per
request until its next write. The
arguments are plain values (ids, dates, tuples: ``coalition.fragments.digest``); the day is one of
them wherever the answer depends on it. Answers are kept pickled (``CACHES["reads"]``, per process,
bounded), so a caller may change what it gets without changing what the next caller gets.

``settings.REUSE_RENDERING = False`` turns this off with the fragments: every page is then read and
drawn from scratch (``make bench`` measures both).
"""

from __future__ import annotations

import functools
import pickle

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

from coalition import versioning
from coalition.fragments import digest

CACHE = "reads"
_MISSING = object()


def kept(func=None, *, by_language: bool = False):
    """Decorate a selector taking plain keyword arguments; ``by_language`` when its answer holds text
    in the reader's language."""
    if func is None:
        return functools.partial(kept, by_language=by_language)
    name = f"read:{func.__module__}.{func.__qualname__}:"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        language = get_language() if by_language else None
        if not settings.REUSE_RENDERING or versioning.pending():
            return _in_this_request(func, args, kwargs, name + digest(versioning.writes(), language, args, kwargs))
        store = caches[CACHE]
        key = name + digest(versioning.current(), language, args, kwargs)
        answer = store.get(key, _MISSING)
        if answer is _MISSING:
            answer = func(*args, **kwargs)
            store.set(key, answer, None)
        return answer

    wrapper.uncached = func
    return wrapper


def _in_this_request(func, args, kwargs, key):
    # Not kept across requests (nothing is, or this transaction has written): asked twice in one
    # request with no write between, it is still read once.
    answers = versioning.request_answers()
    if answers is None:
        return func(*args, **kwargs)
    if key in answers:
        return pickle.loads(answers[key])
    answer = func(*args, **kwargs)
    answers[key] = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
    return answer
