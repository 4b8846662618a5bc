"""Calendar arithmetic of the terms of reference (one place, so that every rule agrees).

A term covers start <= day < end. Years and months are calendar units: a term that starts on
29 February ends on 28 February five years later, and six months before 31 August is 28 or 29 February.
"""

from datetime import date

from dateutil.relativedelta import relativedelta

TERM_YEARS = 5
NOTICE_MONTHS = 6
CORE_GROUP_SEAT_YEARS = 3
CHAMPION_YEARS = 2


def term_end(start: date) -> date:
    return start + relativedelta(years=TERM_YEARS)


def notice_deadline(end: date) -> date:
    """The last day on which written notice still prevents the renewal at ``end``."""
    return end - relativedelta(months=NOTICE_MONTHS)


def months_before(day: date, months: int) -> date:
    return day - relativedelta(months=months)


def months_after(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def years_after(day: date, years: int) -> date:
    # As relativedelta(years=…) has it, in a tenth of the time (reporting statuses call it per pledge).
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)
