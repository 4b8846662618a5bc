"""Reading the free-text figures of earlier versions ("40% (2023)", "3,2", "12 per 10 000") as numbers.

Used once by the migration that introduced numeric indicators; kept, with its tests, because the
same texts come back in old pledge versions and imported spreadsheets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_YEAR = re.compile(r"\((?:in\s+|en\s+|в\s+)?((?:19|20)\d\d)(?:\s*(?:г\.?|год))?\)|\b(?:in|en|в)\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\s*(?:г\.?|год)?$")
_NUMBER = re.compile(r"[-+−]?(?:\d[\d \u00a0\u202f]*(?:[.,]\d+)*|[.,]\d+)")
_PER_10000 = re.compile(r"(?:per|на|pour|/)\s*10[\s\u00a0\u202f.,]?000", re.I)
_CURRENCIES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₸": "KZT", "₽": "RUB"}
# Only codes that pledges use: three capital letters alone ("PHC", "UHC") are more often an abbreviation.
_ISO_CODES = {"USD", "EUR", "GBP", "CHF", "KZT", "RUB", "UZS", "KGS", "TJS", "AZN", "AMD", "GEL", "UAH", "BYN",
              "MDL", "TRY", "CNY", "JPY", "INR", "PKR", "BDT", "IDR", "PHP", "THB", "VND", "XOF", "XAF", "NGN",
              "GHS", "KES", "ETB", "ZAR", "EGP", "MAD", "BRL", "MXN", "ARS", "COP", "CAD", "AUD"}
_ISO = re.compile(r"\b(" + "|".join(sorted(_ISO_CODES)) + r")\b")
_YES = {"yes", "да", "oui", "oui.", "yes."}
_NO = {"no", "нет", "non", "no.", "non."}


@dataclass
class Figure:
    value: Decimal | None
    year: int | None
    unit: str | None  # a pledges.catalogue.Unit value, or None when the text says nothing of it
    currency: str = ""
    exact: bool = True  # False when words were left over that the numbers do not carry


def _to_decimal(raw: str) -> Decimal | None:
    text = raw.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("−", "-")
    if text[:1] in ".,":
        text = "0" + text
    if "," in text and "." in text:
        # The separator that comes last is the decimal one: 1,234.5 or 1.234,5.
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in text:
        # 1,500 or 12,000,000 are thousands; 3,2 or 0,125 are decimals.
        if re.fullmatch(r"[-+]?[1-9]\d{0,2}(,\d{3})+", text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_figure(text: str) -> Figure | None:
    """The number, year and unit a short text gives; None when it holds no number at all."""
    text = (text or "").strip()
    if not text:
        return None
    rest = text
    year = None
    match = _YEAR.search(rest)
    if match:
        year = int(next(g for g in match.groups() if g))
        rest = rest[:match.start()] + " " + rest[match.end():]
    word = rest.strip().lower()
    if word in _YES:
        return Figure(Decimal(1), year, "yes_no")
    if word in _NO:
        return Figure(Decimal(0), year, "yes_no")
    unit, currency = None, ""
    per = _PER_10000.search(rest)
    if per:
        unit = "per_10000"
        rest = rest[:per.start()] + " " + rest[per.end():]
    elif "%" in rest:
        unit = "percent"
        rest = rest.replace("%", " ")
    else:
        for sign, code in sorted(_CURRENCIES.items(), key=lambda kv: -len(kv[0])):
            if sign in rest:
                unit, currency = "currency", code
                rest = rest.replace(sign, " ")
                break
        else:
            iso = _ISO.search(rest)
            if iso:
                unit, currency = "currency", iso.group(1)
                rest = rest[:iso.start()] + " " + rest[iso.end():]
    numbers = _NUMBER.findall(rest)
    if not numbers:
        return None  # words only, or only a year: not a figure
    value = _to_decimal(numbers[0].strip())
    if value is None:
        return None
    leftover = _NUMBER.sub(" ", rest, count=1)
    exact = len(numbers) == 1 and not re.search(r"\w", leftover)
    return Figure(value, year, unit, currency, exact)
