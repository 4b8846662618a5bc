"""Calendar arithmetic of the terms of reference (members/dates.py)."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from members import dates


def test_years_after_is_calendar_years_with_29_february_on_28_february():
    assert dates.years_after(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert dates.years_after(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert dates.years_after(date(2023, 3, 1), -1) == date(2022, 3, 1)
    day = date(2019, 1, 1)
    while day < date(2030, 1, 1):  # every day of eleven years, against dateutil's reading
        for years in (-2, 1, 2, 5):
            assert dates.years_after(day, years) == day + relativedelta(years=years), (day, years)
        day += timedelta(days=1)
