"""Observed drifter tracks read from their three layouts: orthogonal and ragged CF netCDF, CSV."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.drift.observed import TrackError
from sarkit.files.tracks import read_tracks
from sarkit.times import parse_time


def test_orthogonal_array_with_nan_padding(realworld):
    tracks = read_tracks(realworld / "trajan" / "barents.nc")
    assert [t.id for t in tracks] == ["UIB-2022-TILL-01", "UIB-2022-TILL-02"]
    assert [len(t) for t in tracks] == [1027, 2287]
    assert tracks.skipped == 0  # NaN padding is not a fix
    for track in tracks:
        assert np.all(np.diff(track.time) > 0)
        assert 17.2 <= track.lon.min() and track.lon.max() <= 29.9
        assert 74.5 <= track.lat.min() and track.lat.max() <= 77.5
    assert tracks[0].time[0] >= parse_time("2022-10-07T00:00Z")


def test_contiguous_ragged_array_with_a_wrong_sample_dimension(realworld):
    tracks = read_tracks(realworld / "trajan" / "xr_spotter_bulk_test_data.nc")
    assert [(t.id, len(t)) for t in tracks] == [("SPOT-010102", 20), ("SPOT-010103", 45)]
    first = min(t.time[0] for t in tracks)
    last = max(t.time[-1] for t in tracks)
    assert parse_time("2022-03-14T03:00Z") <= first < parse_time("2022-03-14T03:10Z")
    assert parse_time("2022-03-15T23:00Z") <= last < parse_time("2022-03-15T23:10Z")
    for track in tracks:
        assert 64.9 <= track.lon.min() and track.lon.max() <= 70.9
        assert -16.6 <= track.lat.min() and track.lat.max() <= -12.2


def test_csv_with_mixed_time_formats_and_fixes_without_position(realworld):
    tracks = read_tracks(realworld / "trajan" / "bug05_pos.csv")
    (track,) = tracks.tracks
    # 844 rows: 13 have no position (and bogus 2020 times), one repeats a time
    assert len(track) + tracks.skipped == 844
    assert tracks.skipped == 14
    assert track.time.min() >= parse_time("2022-05-10T00:00Z")
    assert track.time.max() < parse_time("2022-05-21T00:00Z")
    assert 5.2 <= track.lon.min() and track.lon.max() <= 5.34


def test_unreadable_track_files(tmp_path):
    with pytest.raises(TrackError, match="file not found"):
        read_tracks(tmp_path / "none.nc")
    bad = tmp_path / "bad.nc"
    bad.write_text("not netCDF")
    with pytest.raises(TrackError, match="Fix:"):
        read_tracks(bad)
    no_columns = tmp_path / "fixes.csv"
    no_columns.write_text("a,b\n1,2\n")
    with pytest.raises(TrackError, match="no time, lon, lat column"):
        read_tracks(no_columns)
