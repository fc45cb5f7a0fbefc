"""The shape of the Earth: one transformer for each pair of coordinate systems, shared."""

from __future__ import annotations

import threading

import numpy as np
from pyproj import CRS, Transformer

from sarkit.geodesy import transformer


def _laea(lon: float, lat: float) -> CRS:
    return CRS.from_proj4(f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")


def test_a_pair_is_made_once_and_transforms_as_a_new_one():
    forward = transformer("EPSG:4326", _laea(96.0, 9.0))
    # the same systems, made again (as each POC grid makes its own), give the same one
    assert transformer("EPSG:4326", _laea(96.0, 9.0)) is forward
    assert transformer("EPSG:4326", _laea(96.5, 9.0)) is not forward
    assert transformer(_laea(96.0, 9.0), "EPSG:4326") is not forward
    lon, lat = np.array([95.5, 96.0, 97.25]), np.array([8.0, 9.0, 10.5])
    fresh = Transformer.from_crs("EPSG:4326", _laea(96.0, 9.0), always_xy=True)
    np.testing.assert_array_equal(forward.transform(lon, lat), fresh.transform(lon, lat))
    x, y = forward.transform(96.0, 9.0)  # longitude first: the centre is the origin
    assert abs(x) < 1e-6 and abs(y) < 1e-6


def test_a_shared_transformer_gives_each_thread_the_same_answers():
    shared = transformer("EPSG:4326", _laea(100.0, -5.0))
    lon = np.linspace(95.0, 105.0, 2000)
    lat = np.linspace(-10.0, 0.0, 2000)
    expected = shared.transform(lon, lat)
    results = [None] * 4

    def work(k):
        results[k] = shared.transform(lon, lat)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        np.testing.assert_array_equal(result, expected)
