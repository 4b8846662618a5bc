"""Reading the free-text figures of earlier versions (pledges.legacy.parse_figure)."""

from decimal import Decimal

import pytest

from pledges.legacy import Figure, parse_figure

D = Decimal


@pytest.mark.parametrize(
    "text, value, year, unit, currency, exact",
    [
        # Percentages, with and without a year.
        ("40% (2023)", D(40), 2023, "percent", "", True),
        ("30%", D(30), None, "percent", "", True),
        ("0.5%", D("0.5"), None, "percent", "", True),
        ("12,5%", D("12.5"), None, "percent", "", True),
        ("0%", D(0), None, "percent", "", True),
        ("-5%", D(-5), None, "percent", "", True),
        ("40 % in 2023", D(40), 2023, "percent", "", True),
        ("50% (in 2022)", D(50), 2022, "percent", "", True),
        ("50% en 2022", D(50), 2022, "percent", "", True),
        ("40% в 2021", D(40), 2021, "percent", "", True),
        ("in 2023: 40%", D(40), 2023, "percent", "", True),
        ("40%, 2023", D(40), 2023, "percent", "", True),
        ("  40% (2023)  ", D(40), 2023, "percent", "", True),
        # Decimal comma, thousands separators.
        ("3,2", D("3.2"), None, None, "", True),
        ("0,125", D("0.125"), None, None, "", True),
        ("1 234,5", D("1234.5"), None, None, "", True),
        ("1\u00a0234,5", D("1234.5"), None, None, "", True),
        ("1\u202f234,5", D("1234.5"), None, None, "", True),
        ("1,500", D(1500), None, None, "", True),
        ("12,000,000", D(12000000), None, None, "", True),
        ("1,234.5", D("1234.5"), None, None, "", True),
        ("1.234,5", D("1234.5"), None, None, "", True),
        ("1.500.000", D(1500000), None, None, "", True),
        ("2 000", D(2000), None, None, "", True),
        ("12 000 (2023)", D(12000), 2023, None, "", True),
        ("3.2", D("3.2"), None, None, "", True),
        ("100", D(100), None, None, "", True),
        ("0", D(0), None, None, "", True),
        ("-2.5", D("-2.5"), None, None, "", True),
        ("\u22123", D(-3), None, None, "", True),  # a typographic minus sign
        ("20 (2030)", D(20), 2030, None, "", True),
        # Per 10 000 population.
        ("12 per 10 000", D(12), None, "per_10000", "", True),
        ("12 per 10,000", D(12), None, "per_10000", "", True),
        ("12 per 10000", D(12), None, "per_10000", "", True),
        ("12/10 000", D(12), None, "per_10000", "", True),
        ("15.3 на 10 000 (2021)", D("15.3"), 2021, "per_10000", "", True),
        ("7 pour 10 000", D(7), None, "per_10000", "", True),
        ("3.5 per 10.000 (2020)", D("3.5"), 2020, "per_10000", "", True),
        # Money.
        ("$300", D(300), None, "currency", "USD", True),
        ("US$ 40", D(40), None, "currency", "USD", True),
        ("€1,5", D("1.5"), None, "currency", "EUR", True),
        ("₸ 1 000 000", D(1000000), None, "currency", "KZT", True),
        ("5 000 000 KZT", D(5000000), None, "currency", "KZT", True),
        ("KZT 5 000 000", D(5000000), None, "currency", "KZT", True),
        ("5 EUR", D(5), None, "currency", "EUR", True),
        ("USD 2.5 million", D("2.5"), None, "currency", "USD", False),
        # Words the number does not carry make the figure inexact.
        ("about 20%", D(20), None, "percent", "", False),
        ("60% (2019) to 80%", D(60), 2019, "percent", "", False),
        ("30% by 2030", D(30), 2030, "percent", "", False),
        ("2000 nurses", D(2000), None, None, "", False),
        ("1,5 млн", D("1.5"), None, None, "", False),
        ("12 на 10 000 населения", D(12), None, "per_10000", "", False),
    ],
)
def test_parse_figure(text, value, year, unit, currency, exact):
    figure = parse_figure(text)
    assert isinstance(figure, Figure)
    assert figure.value == value
    assert isinstance(figure.value, Decimal)
    assert figure.year == year
    assert figure.unit == unit
    assert figure.currency == currency
    assert figure.exact is exact


def test_parse_figure_full_example():
    assert parse_figure("40% (2023)") == Figure(D(40), 2023, "percent", "", True)


@pytest.mark.parametrize(
    "text, value",
    [
        ("yes", 1), ("Yes", 1), ("YES", 1), ("yes.", 1), ("да", 1), ("Да", 1), ("oui", 1),
        ("no", 0), ("No", 0), ("нет", 0), ("non", 0), ("Non", 0), ("no.", 0),
    ],
)
def test_yes_and_no(text, value):
    figure = parse_figure(text)
    assert figure is not None
    assert figure.value == D(value)
    assert figure.unit == "yes_no"
    assert figure.year is None
    assert figure.currency == ""
    assert figure.exact is True


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", None, "about half", "unknown", "N/A", "—",
        # Only a year: not a figure.
        "2023", "1999", "2030", "(2023)", "2023 г.",
    ],
)
def test_no_number_is_none(text):
    assert parse_figure(text) is None


def test_decimal_values_are_exact_not_float():
    assert parse_figure("0,1").value == D("0.1")
    assert parse_figure("0.3").value + parse_figure("0,1").value == D("0.4")


# --- Once read wrongly, now right ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [("300 PHC", D(300)), ("120 PHC centres", D(120))])
def test_capitalised_words_are_not_currencies(text, value):
    figure = parse_figure(text)
    assert figure.value == value
    assert figure.unit is None
    assert figure.currency == ""


def test_leading_decimal_point():
    figure = parse_figure(".5")
    assert figure.value == D("0.5")


def test_russian_year_in_brackets():
    figure = parse_figure("40% (2023 г.)")
    assert figure.value == D(40)
    assert figure.year == 2023
    assert figure.unit == "percent"
    assert figure.exact is True


@pytest.mark.parametrize("text, value", [("yes (2023)", D(1)), ("no (2023)", D(0))])
def test_yes_no_with_a_year(text, value):
    figure = parse_figure(text)
    assert figure is not None
    assert figure.value == value
    assert figure.year == 2023
    assert figure.unit == "yes_no"
