"""The arithmetic of monitoring (pledges.progress): pure functions, no database."""

from decimal import Decimal

import pytest

from pledges.progress import (
    ACHIEVED,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    STATUSES,
    bar_percent,
    combined_status,
    expected_value,
    percent_of_way,
    status,
)

D = Decimal


# --- percent_of_way ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "baseline, target, current, expected",
    [
        # A decrease: 40 → 20, now 30, half way.
        (40, 20, 30, D("50.0")),
        # An increase: 10 → 60, now 35, half way.
        (10, 60, 35, D("50.0")),
        # At the start and at the end, both directions.
        (40, 20, 40, D("0.0")),
        (40, 20, 20, D("100.0")),
        (10, 60, 10, D("0.0")),
        (10, 60, 60, D("100.0")),
        # Overshoot and regress are reported as they are, not clamped.
        (40, 20, 16, D("120.0")),
        (10, 60, -2.5, D("-25.0")),
        (10, 60, 85, D("150.0")),
        (40, 20, 50, D("-50.0")),
        # Rounded to one decimal place.
        (0, 3, 1, D("33.3")),
        (0, 3, 2, D("66.7")),
        (0, 7, 1, D("14.3")),
        (100, 0, 1, D("99.0")),
    ],
)
def test_percent_of_way(baseline, target, current, expected):
    result = percent_of_way(baseline=baseline, target=target, current=current)
    assert result == expected
    assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    "baseline, target, current",
    [(40, 20, 30), (10, 60, 35), (0, 3, 1), (40, 20, 16), (10, 60, -2.5)],
)
def test_percent_of_way_is_quantized_to_one_decimal_place(baseline, target, current):
    result = percent_of_way(baseline=baseline, target=target, current=current)
    assert result.as_tuple().exponent == -1


@pytest.mark.parametrize(
    "baseline, target, current",
    [
        (None, 20, 30),
        (40, None, 30),
        (40, 20, None),
        (None, None, None),
        ("", 20, 30),
        (40, "", 30),
        (40, 20, ""),
        # No distance to cover.
        (40, 40, 30),
        (40, 40, 40),
        (D("40.0"), 40, 50),
        ("40", D("40.00"), 1),
    ],
)
def test_percent_of_way_is_none_when_missing_or_no_distance(baseline, target, current):
    assert percent_of_way(baseline=baseline, target=target, current=current) is None


def test_percent_of_way_decimal_precision_has_no_float_error():
    # In floats, (0.3 - 0.1) / (0.2 - 0.1) * 100 is not 200, and 0.2 - 0.1 is not 0.1.
    result = percent_of_way(baseline=D("0.1"), target=D("0.3"), current=D("0.2"))
    assert result == D("50.0")
    assert str(result) == "50.0"
    assert percent_of_way(baseline=D("0.1"), target=D("0.2"), current=D("0.3")) == D("200.0")
    assert percent_of_way(baseline=D("0.3"), target=D("0.1"), current=D("0.2")) == D("50.0")


def test_percent_of_way_same_answer_from_str_inputs_as_decimals():
    assert percent_of_way(baseline="0.1", target="0.3", current="0.2") == D("50.0")


@pytest.mark.parametrize(
    "baseline, target, current",
    [
        (40, 20, 30),
        ("40", "20", "30"),
        (D("40"), D("20"), D("30")),
        (D("40.0000"), "20", 30),
        ("40.0", D("20"), "30.00"),
    ],
)
def test_percent_of_way_accepts_decimal_int_and_str(baseline, target, current):
    assert percent_of_way(baseline=baseline, target=target, current=current) == D("50.0")


def test_percent_of_way_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        percent_of_way(40, 20, 30)  # type: ignore[misc]


# --- bar_percent ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "percent, expected",
    [
        (None, D(0)),
        (D("-25.0"), D(0)),
        (D("-0.1"), D(0)),
        (D("0.0"), D(0)),
        (D("50.0"), D("50.0")),
        (D("99.9"), D("99.9")),
        (D("100.0"), D(100)),
        (D("100.1"), D(100)),
        (D("120.0"), D(100)),
    ],
)
def test_bar_percent_clamps_to_0_100(percent, expected):
    result = bar_percent(percent)
    assert result == expected
    assert isinstance(result, Decimal)
    assert D(0) <= result <= D(100)


def test_bar_percent_of_percent_of_way():
    assert bar_percent(percent_of_way(baseline=40, target=20, current=16)) == 100
    assert bar_percent(percent_of_way(baseline=10, target=60, current=-2.5)) == 0
    assert bar_percent(percent_of_way(baseline=10, target=60, current=35)) == D("50.0")
    assert bar_percent(percent_of_way(baseline=10, target=10, current=35)) == 0


# --- expected_value ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "baseline, baseline_year, target, target_year, year, expected",
    [
        # A straight line, decreasing: 40 in 2020 → 20 in 2030.
        (40, 2020, 20, 2030, 2025, D(30)),
        (40, 2020, 20, 2030, 2021, D(38)),
        (40, 2020, 20, 2030, 2029, D(22)),
        # Increasing: 10 in 2020 → 60 in 2030.
        (10, 2020, 60, 2030, 2025, D(35)),
        (10, 2020, 60, 2030, 2022, D(20)),
        # At and before the baseline year: the baseline.
        (40, 2020, 20, 2030, 2020, D(40)),
        (40, 2020, 20, 2030, 2015, D(40)),
        (10, 2020, 60, 2030, 1999, D(10)),
        # At and after the target year: the target.
        (40, 2020, 20, 2030, 2030, D(20)),
        (40, 2020, 20, 2030, 2035, D(20)),
        (10, 2020, 60, 2030, 2031, D(60)),
        # Decimals stay exact.
        (D("0.1"), 2020, D("0.3"), 2022, 2021, D("0.2")),
        ("12.5", 2020, "17.5", 2025, 2023, D("15.5")),
    ],
)
def test_expected_value(baseline, baseline_year, target, target_year, year, expected):
    result = expected_value(
        baseline=baseline, baseline_year=baseline_year, target=target, target_year=target_year, year=year,
    )
    assert result == expected
    assert isinstance(result, Decimal)


def test_expected_value_between_years_that_do_not_divide_evenly():
    result = expected_value(baseline=0, baseline_year=2020, target=1, target_year=2023, year=2021)
    assert abs(result - D(1) / D(3)) < D("1e-20")


@pytest.mark.parametrize(
    "missing",
    ["baseline", "baseline_year", "target", "target_year", "year"],
)
def test_expected_value_is_none_when_something_is_missing(missing):
    arguments = dict(baseline=40, baseline_year=2020, target=20, target_year=2030, year=2025)
    arguments[missing] = None
    assert expected_value(**arguments) is None


# --- status -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "baseline, baseline_year, target, target_year, current, year, expected",
    [
        # Decreasing 40 (2020) → 20 (2030): expected 30 in 2025.
        (40, 2020, 20, 2030, 30, 2025, ON_TRACK),  # exactly the expected value
        (40, 2020, 20, 2030, 29, 2025, ON_TRACK),  # beyond it, in the target's direction
        (40, 2020, 20, 2030, 32, 2025, OFF_TRACK),
        (40, 2020, 20, 2030, "30.01", 2025, OFF_TRACK),
        (40, 2020, 20, 2030, 45, 2025, OFF_TRACK),  # regressed
        (40, 2020, 20, 2030, 19, 2025, ACHIEVED),
        (40, 2020, 20, 2030, 20, 2025, ACHIEVED),  # the target itself is achieved
        (40, 2020, 20, 2030, 20, 2031, ACHIEVED),
        (40, 2020, 20, 2030, 21, 2030, OFF_TRACK),  # the target year passed, target not reached
        (40, 2020, 20, 2030, 40, 2020, ON_TRACK),  # no movement expected yet
        (40, 2020, 20, 2030, 40, 2019, ON_TRACK),
        # Increasing 10 (2020) → 60 (2030): expected 35 in 2025.
        (10, 2020, 60, 2030, 35, 2025, ON_TRACK),
        (10, 2020, 60, 2030, 40, 2025, ON_TRACK),
        (10, 2020, 60, 2030, 34, 2025, OFF_TRACK),
        (10, 2020, 60, 2030, "34.99", 2025, OFF_TRACK),
        (10, 2020, 60, 2030, -2.5, 2025, OFF_TRACK),
        (10, 2020, 60, 2030, 60, 2025, ACHIEVED),
        (10, 2020, 60, 2030, 61, 2022, ACHIEVED),
        (10, 2020, 60, 2030, 59, 2030, OFF_TRACK),
        # Decimal precision: expected 0.2 in 2021 on the line 0.1 (2020) → 0.3 (2022).
        (D("0.1"), 2020, D("0.3"), 2022, D("0.2"), 2021, ON_TRACK),
        (D("0.3"), 2020, D("0.1"), 2022, D("0.2"), 2021, ON_TRACK),
        # str and Decimal inputs.
        ("40", 2020, "20", 2030, "30", 2025, ON_TRACK),
        (D("40"), 2020, D("20"), 2030, D("32"), 2025, OFF_TRACK),
    ],
)
def test_status(baseline, baseline_year, target, target_year, current, year, expected):
    assert status(
        baseline=baseline, baseline_year=baseline_year, target=target, target_year=target_year,
        current=current, year=year,
    ) == expected


@pytest.mark.parametrize(
    "missing",
    ["baseline", "target", "current", "year"],
)
def test_status_no_data_when_a_value_is_missing(missing):
    arguments = dict(baseline=40, baseline_year=2020, target=20, target_year=2030, current=30, year=2025)
    arguments[missing] = None
    assert status(**arguments) == NO_DATA


@pytest.mark.parametrize("missing", ["current", "baseline", "target"])
def test_status_no_data_when_a_value_is_empty_text(missing):
    arguments = dict(baseline=40, baseline_year=2020, target=20, target_year=2030, current=30, year=2025)
    arguments[missing] = ""
    assert status(**arguments) == NO_DATA


@pytest.mark.parametrize("missing", ["baseline_year", "target_year"])
def test_status_without_years_is_no_data_unless_achieved(missing):
    arguments = dict(baseline=40, baseline_year=2020, target=20, target_year=2030, current=30, year=2025)
    arguments[missing] = None
    assert status(**arguments) == NO_DATA
    arguments["current"] = 19
    assert status(**arguments) == ACHIEVED


def test_status_values_are_the_known_ones():
    assert set(STATUSES) == {ACHIEVED, ON_TRACK, OFF_TRACK, NO_DATA}
    assert (ACHIEVED, ON_TRACK, OFF_TRACK, NO_DATA) == ("achieved", "on_track", "off_track", "no_data")


# --- combined_status --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([], NO_DATA),
        ([NO_DATA], NO_DATA),
        ([NO_DATA, NO_DATA], NO_DATA),
        ([ACHIEVED], ACHIEVED),
        ([ACHIEVED, ACHIEVED], ACHIEVED),
        ([ON_TRACK], ON_TRACK),
        ([OFF_TRACK], OFF_TRACK),
        ([ACHIEVED, ON_TRACK], ON_TRACK),
        ([ON_TRACK, ACHIEVED], ON_TRACK),
        ([ACHIEVED, OFF_TRACK], OFF_TRACK),
        ([ON_TRACK, OFF_TRACK, ACHIEVED], OFF_TRACK),
        ([OFF_TRACK, ON_TRACK], OFF_TRACK),
        # Unmeasured indicators do not weaken (or strengthen) the measured ones.
        ([ACHIEVED, NO_DATA], ACHIEVED),
        ([NO_DATA, ON_TRACK, NO_DATA], ON_TRACK),
        ([NO_DATA, OFF_TRACK], OFF_TRACK),
        ([NO_DATA, ACHIEVED, ON_TRACK], ON_TRACK),
    ],
)
def test_combined_status_is_weakest_measured(statuses, expected):
    assert combined_status(statuses) == expected


def test_combined_status_accepts_any_iterable():
    assert combined_status(s for s in (ACHIEVED, NO_DATA, ON_TRACK)) == ON_TRACK
    assert combined_status(iter(())) == NO_DATA
