"""Times as a person reads them (:mod:`sarkit.times`): the local time beside UTC."""

from __future__ import annotations

from sarkit.planning.assets import centre_time_zone
from sarkit.planning.regions import area_time_zone
from sarkit.times import local_parts, local_time, parse_time, span_and_local, utc_and_local

T = parse_time("2024-06-12T02:00Z")


def test_local_time_of_a_zone_with_its_offset():
    assert local_time(T, "Asia/Bangkok") == "09:00 local (UTC+07:00 Asia/Bangkok)"
    assert local_time(T, "Asia/Kolkata") == "07:30 local (UTC+05:30 Asia/Kolkata)"
    assert local_time(T, "Asia/Yangon") == "08:30 local (UTC+06:30 Asia/Yangon)"
    # another day is said
    assert local_time(parse_time("2024-06-12T20:00Z"), "Australia/Sydney") == (
        "06:00 13 Jun local (UTC+10:00 Australia/Sydney)")


def test_without_a_zone_the_nautical_zone_time_of_the_longitude():
    assert local_time(T, None, 112.0) == "09:00 zone time (UTC+7, by longitude)"
    assert local_time(T, None, -124.6) == "18:00 11 Jun zone time (UTC-8, by longitude)"
    assert local_time(T) == ""
    assert local_time(float("nan"), "Asia/Bangkok") == ""


def test_utc_with_the_local_time_beside_it_to_the_minute():
    assert utc_and_local(T + 29, "Asia/Bangkok") == (
        "2024-06-12T02:00Z (09:00 local (UTC+07:00 Asia/Bangkok))")
    assert utc_and_local(T + 31, None, -124.6) == (
        "2024-06-12T02:01Z (18:01 11 Jun zone time (UTC-8, by longitude))")
    assert utc_and_local(T) == "2024-06-12T02:00Z"  # no zone known: UTC alone
    assert span_and_local(T, T + 6 * 3600, "Asia/Kolkata") == (
        "2024-06-12T02:00Z .. 2024-06-12T08:00Z (07:30 .. 13:30 local (UTC+05:30 "
        "Asia/Kolkata))")
    assert span_and_local(T, T + 3600) == "2024-06-12T02:00Z .. 2024-06-12T03:00Z"
    # the parts of a table: the clock and what it is; rounded to the minute like the UTC
    assert local_parts(T + 31, "Asia/Yangon") == ("08:31", "local (UTC+06:30 Asia/Yangon)")
    assert local_parts(T, None, 170.0) == ("13:00", "zone time (UTC+11, by longitude)")
    assert local_parts(T) is None


def test_the_area_s_zone_is_its_responsible_centre_s():
    assert area_time_zone(98.2, 7.7) == "Asia/Bangkok"  # off Phuket, Bangkok SRR
    assert area_time_zone(93.0, 11.5) == "Asia/Kolkata"  # off Port Blair
    # off Kupang: the Indonesian SRR is BASARNAS's, whose centre keeps Jakarta's time
    assert area_time_zone(123.5, -10.3) == "Asia/Jakarta"
    assert area_time_zone(112.0, 12.0) is None  # no shipped SRR
    assert centre_time_zone("kantor-sar-kupang") == "Asia/Makassar"  # WITA
    assert centre_time_zone("mrcc-port-blair") == "Asia/Kolkata"
    assert centre_time_zone("not-a-centre") is None
