"""Country names in the reader's language, and sorting by them with that language's collation.

English keeps the WHO short names of members/data/countries.csv (the Organization's own usage:
"Türkiye", "Republic of Moldova"); every other language takes the territory names of CLDR through
Babel, so no list of names is kept by hand. Sorting uses ICU (CLDR's collation rules: "Ñ" after
"N" in Spanish, pinyin in Chinese), never Python's code-point order.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu
from babel import Locale
from django.conf import settings
from django.utils import translation

T = TypeVar("T")
_collators = threading.local()


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


@lru_cache(maxsize=16)
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(translation.to_locale(language)).territories)


def country_name(iso2: str, english: str, language: str | None = None) -> str:
    """The country's name in `language` (default: the active one); `english` is the WHO short name."""
    language = _language(language)
    if language.split("-")[0] == "en":
        return english
    return _territories(language).get(iso2.upper()) or english


def collator(language: str | None = None):
    """ICU's collator for the language; one per thread, as ICU collators keep state while comparing."""
    language = _language(language)
    cache = getattr(_collators, "by_language", None)
    if cache is None:
        cache = _collators.by_language = {}
    if language not in cache:
        cache[language] = icu.Collator.createInstance(icu.Locale(translation.to_locale(language)))
    return cache[language]


def sort_key(language: str | None = None) -> Callable[[str], bytes]:
    return collator(language).getSortKey


def sorted_by_name(items: Iterable[T], name: Callable[[T], str] = str, language: str | None = None) -> list[T]:
    """Items in the alphabetical order of their names (by default str(item)) in the language."""
    key = sort_key(language)
    return sorted(items, key=lambda item: key(name(item)))


def matching_codes(term: str, language: str | None = None) -> set[str]:
    """ISO alpha-2 codes whose name in the language contains the term, ignoring case and accents."""
    folded = _fold(term)
    if not folded:
        return set()
    return {code for code, name in _territories(_language(language)).items() if folded in _fold(name)}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def order_by_name(iso2_field: str, language: str | None = None):
    """An ORDER BY expression putting rows in the alphabetical order of their country's name in the
    language, for lists paginated in the database (iso2_field: the path to the country's ISO alpha-2)."""
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import CharField, F, Func, IntegerField, Value

    language = _language(language)
    if language.split("-")[0] == "en":
        return F(iso2_field.rsplit("iso2", 1)[0] + "name").asc()
    return Func(Value(_codes_in_order(language), output_field=ArrayField(CharField())), F(iso2_field),
                function="array_position", output_field=IntegerField()).asc()


@lru_cache(maxsize=16)
def _codes_in_order(language: str) -> list[str]:
    territories = _territories(language)
    key = sort_key(language)
    return sorted((code for code in territories if len(code) == 2 and code.isalpha()), key=lambda c: key(territories[c]))
