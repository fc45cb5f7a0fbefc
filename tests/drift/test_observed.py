"""Observed tracks: rows of fixes to tracks, and the Liu & Weisberg skill score."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.drift.observed import ObservedTrack, TrackError, liu_weisberg_skill, track_set


def _straight(hours: int = 24, speed: float = 0.5):
    """A track due north at ``speed`` m/s from 10E 0N, hourly."""
    times = np.arange(hours + 1) * 3600.0
    lat = times * speed / 111_319.49  # close enough; only ratios matter
    return ObservedTrack("line", times, np.full(times.size, 10.0), lat)


def test_skill_of_identical_tracks_is_one():
    track = _straight()
    assert liu_weisberg_skill(track, track.lon, track.lat, track.time) == pytest.approx(1.0)


def test_skill_of_a_stationary_model_on_a_straight_track_is_zero():
    track = _straight()
    lon = np.full(track.time.size, track.lon[0])
    lat = np.full(track.time.size, track.lat[0])
    assert liu_weisberg_skill(track, lon, lat, track.time) == pytest.approx(0.0, abs=1e-6)


def test_skill_of_a_half_speed_model_is_one_half():
    track = _straight()
    assert liu_weisberg_skill(track, track.lon, track.lat / 2, track.time) == pytest.approx(
        0.5, abs=1e-3)


def test_skill_needs_times_inside_the_track():
    track = _straight()
    with pytest.raises(TrackError, match="outside the observed track"):
        liu_weisberg_skill(track, track.lon, track.lat, track.time + 7200)


def test_track_set_sorts_each_track_and_counts_the_fixes_left_out():
    nan = np.nan
    tracks = track_set([
        ("a", [30.0, 10.0, 20.0, 20.0, nan], [1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 0.0, 0.0, 0.0, 0.0]),
        ("b", [0.0, 3600.0, nan], [1.0, nan, nan], [1.0, 1.0, nan]),
    ])
    assert [t.id for t in tracks] == ["a", "b"]
    np.testing.assert_array_equal(tracks["a"].time, [10.0, 20.0, 30.0])
    np.testing.assert_array_equal(tracks["a"].lon, [2.0, 3.0, 1.0])
    # a: the repeated time and the fix without a time; b: the fix without a lon (the last
    # row of b is padding, not a fix)
    assert tracks.skipped == 3
    with pytest.raises(TrackError, match="no fix with a position"):
        track_set([("c", [0.0], [nan], [nan])], "c.csv")
