"""Decoding CF time axes (sarkit.forcing.timeaxis): time zones, spellings, calendars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import netCDF4
import numpy as np
import pytest

from sarkit.forcing.timeaxis import TimeUnitsError, decode_time
from sarkit.times import format_time, parse_time

JAN1 = datetime(2024, 1, 1, tzinfo=UTC).timestamp()


def epoch(text: str) -> float:
    """Epoch seconds of an ISO time written with an explicit zone (independent of parse_time)."""
    return datetime.fromisoformat(text).timestamp()


# --------------------------------------------------------------------------- just_time_* files


@pytest.mark.parametrize(("name", "first"), [
    ("just_time_naive.nc", "2024-01-01T00:00:00Z"),
    ("just_time_UTC.nc", "2024-01-01T00:00:00Z"),  # ...T00:00:00Z
    ("just_time_UTC-UTC.nc", "2024-01-01T00:00:00Z"),  # ... UTC
    ("just_time_UTC-0.nc", "2024-01-01T00:00:00Z"),  # ...+00:00
    # local time 7 h behind UTC: 00:00 local is 07:00 UTC
    ("just_time_offset-7.nc", "2024-01-01T07:00:00Z"),
])
def test_time_zone_suffixes_in_real_files(realworld, name, first):
    with netCDF4.Dataset(realworld / "gridded" / name) as dataset:
        dataset.set_auto_maskandscale(False)
        variable = dataset["time"]
        values, units = np.asarray(variable[:]), variable.getncattr("units")
    seconds = decode_time(values, units)
    assert format_time(seconds[0]) == first
    assert seconds.size == 288
    np.testing.assert_allclose(np.diff(seconds), 900.0, atol=1e-3)  # 15 minutes
    assert format_time(seconds[-1]) == format_time(seconds[0] + 287 * 900)


def test_unreadable_time_zone_in_a_real_file_is_refused(realworld):
    with netCDF4.Dataset(realworld / "gridded" / "just_time_bad_tzo.nc") as dataset:
        units = dataset["time"].getncattr("units")
        values = np.asarray(dataset["time"][:])
    assert units.endswith(" U C")
    with pytest.raises(TimeUnitsError, match="time zone") as caught:
        decode_time(values, units)
    assert isinstance(caught.value, ValueError)
    assert "U C" in str(caught.value)


# --------------------------------------------------------------------------- synthetic cases


@pytest.mark.parametrize(("units", "values", "expected"), [
    ("Hour since 2023-02-28 00:00:00", [48.0, 51.0], ["2023-03-02T00:00:00Z",
                                                      "2023-03-02T03:00:00Z"]),
    ("HOURS SINCE 2023-02-28", [0.5], ["2023-02-28T00:30:00Z"]),
    ("days since 2000-12-31 00:00:00", [8702.125], ["2024-10-28T03:00:00Z"]),
    ("seconds since 1970-01-01 00:00:00 +00:00", [1452729600.0], ["2016-01-14T00:00:00Z"]),
    ("minutes since 2024-1-1", [90.0], ["2024-01-01T01:30:00Z"]),
    ("days since 2024-01-03", np.array([0, 5, 25], dtype=np.int64),
     ["2024-01-03T00:00:00Z", "2024-01-08T00:00:00Z", "2024-01-28T00:00:00Z"]),
    ("hours since 2024-01-01T06:00:00+07:00", [0.0], ["2023-12-31T23:00:00Z"]),
    ("hours since 2024-01-01 00:00 GMT", [1.0], ["2024-01-01T01:00:00Z"]),
])
def test_unit_spellings_and_zones(units, values, expected):
    assert [format_time(s) for s in decode_time(values, units)] == expected


def test_naive_reference_is_utc():
    seconds = decode_time([0.0, 1.0], "days since 2024-01-01")
    np.testing.assert_array_equal(seconds, [JAN1, JAN1 + 86400.0])


def test_nan_stays_nan():
    seconds = decode_time([0.0, np.nan], "hours since 2024-01-01")
    assert seconds[0] == JAN1 and np.isnan(seconds[1])


def test_noleap_calendar_days_since_1900():
    # 50 years of 365 days = 18250 days, without the 12 leap days of 1900..1949
    seconds = decode_time([18250.5, 18251.5], "days since 1900-01-01", "NOLEAP")
    assert [format_time(s) for s in seconds] == ["1950-01-01T12:00:00Z", "1950-01-02T12:00:00Z"]
    standard = decode_time([18250.5], "days since 1900-01-01", "standard")
    assert format_time(standard[0]) == "1949-12-20T12:00:00Z"


def test_noleap_skips_february_29():
    # 2024-02-28 + 1 model day is 2024-03-01 in noleap; the spacing stays one day
    seconds = decode_time([58.0, 59.0], "days since 2024-01-01", "noleap")
    assert format_time(seconds[0]) == "2024-02-28T00:00:00Z"
    assert seconds[1] - seconds[0] == 86400.0


def test_360_day_calendar_keeps_model_seconds_between_records():
    values = np.array([0.0, 30.0, 59.0, 360.0])
    seconds = decode_time(values, "days since 2001-01-01", "360_day")
    assert format_time(seconds[0]) == "2001-01-01T00:00:00Z"
    np.testing.assert_array_equal(seconds - seconds[0], values * 86400.0)


def test_360_day_first_record_on_february_30_moves_to_the_month_end():
    # day 59 of a 360-day year is Feb 30 (2001 has 28 days in February)
    seconds = decode_time([59.0, 60.0], "days since 2001-01-01 06:00", "360_day")
    assert format_time(seconds[0]) == "2001-02-28T06:00:00Z"
    assert seconds[1] - seconds[0] == 86400.0


def test_hycom_model_year_21():
    seconds = decode_time([7320.0], "days since 0001-01-01", "360_day")
    assert format_time(seconds[0]) == "0021-05-01T00:00:00Z"


def test_seconds_without_origin_refused_and_accepted_with_one():
    with pytest.raises(TimeUnitsError, match="no reference date"):
        decode_time([0.0, 259200.0], "second")
    seconds = decode_time([0.0, 259200.0], "second", origin="2024-03-20T00:00Z")
    assert [format_time(s) for s in seconds] == ["2024-03-20T00:00:00Z", "2024-03-23T00:00:00Z"]
    with_zone = decode_time([0.0], "seconds", origin="2024-03-20T07:00+07:00")
    assert format_time(with_zone[0]) == "2024-03-20T00:00:00Z"


def test_origin_with_units_that_have_a_date_is_refused():
    with pytest.raises(TimeUnitsError, match="reference date already"):
        decode_time([0.0], "hours since 2024-01-01", origin="2024-03-20T00:00Z")


@pytest.mark.parametrize(("units", "calendar", "reason"), [
    ("months since 2000-01-01", None, "months"),
    ("years since 2000-01-01", None, "not fixed lengths"),
    ("fortnights since 2000-01-01", None, "unsupported time unit"),
    ("hours since 2000-01-01", "martian", "unknown calendar"),
    ("unknown", None, "cannot read the time units"),
    ("", None, "cannot read the time units"),
    ("hours since yesterday", None, "reference date"),
    ("hours since 2000-01-01 +25:00", None, "offset"),
    ("hours since 2000-02-30", None, "impossible"),
])
def test_unreadable_units_are_refused(units, calendar, reason):
    with pytest.raises(TimeUnitsError, match=reason):
        decode_time([0.0], units, calendar)


def test_time_units_error_is_a_value_error():
    assert issubclass(TimeUnitsError, ValueError)


# --------------------------------------------------------------------------- parse/format


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-20T13:00+07:00", "2024-03-20T06:00:00+00:00"),
    ("2024-03-20T06:00Z", "2024-03-20T06:00:00+00:00"),
    ("2024-03-20 06:00", "2024-03-20T06:00:00+00:00"),
    ("2024-03-20", "2024-03-20T00:00:00+00:00"),
    ("2024-03-20T06:00:30.5Z", "2024-03-20T06:00:30.500000+00:00"),
    ("2024-03-20T01:00-05:00", "2024-03-20T06:00:00+00:00"),
])
def test_parse_time(text, expected):
    assert parse_time(text) == epoch(expected)


def test_parse_time_other_types():
    assert parse_time(np.datetime64("2024-03-20T06:00")) == epoch("2024-03-20T06:00:00+00:00")
    assert parse_time(datetime(2024, 3, 20, 6)) == epoch("2024-03-20T06:00:00+00:00")
    bangkok = timezone(timedelta(hours=7))
    assert parse_time(datetime(2024, 3, 20, 13, tzinfo=bangkok)) == epoch(
        "2024-03-20T06:00:00+00:00")


@pytest.mark.parametrize("text", ["yesterday", "20/03/2024", "2024-03-20T06:00 Bangkok", "",
                                  "2024-02-30T06:00Z", "2024-04-31", "2024-13-01"])
def test_parse_time_refuses_nonsense(text):
    with pytest.raises(ValueError, match="2024-03-20T06:00Z"):
        parse_time(text)


def test_format_time():
    assert format_time(JAN1) == "2024-01-01T00:00:00Z"
    assert format_time(epoch("2024-03-20T06:00:59+00:00")) == "2024-03-20T06:00:59Z"
    assert format_time(np.nan) == "NaT"
    assert format_time(parse_time("1950-01-01T12:00Z")) == "1950-01-01T12:00:00Z"
