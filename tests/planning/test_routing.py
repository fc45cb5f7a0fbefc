"""Routes at sea: the great circle in open water, around land where it is in the way.

The real GSHHG coastline (roaring-landmask) is used; the test points were checked against
``land_mask`` at 450 m. Masks are cached in a temporary folder for this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from sarkit.drift.coast import LandMask, land_mask
from sarkit.errors import BadValueError
from sarkit.geodesy import WGS84
from sarkit.planning import routing
from sarkit.planning.routing import HARBOUR_REACH_M, SeaRoute, sea_route
from sarkit.units import NAUTICAL_MILE

# Andaman Sea, well off any coast (both at sea, open water between them)
OPEN_A, OPEN_B = (95.0, 8.0), (96.0, 9.0)
# Banda Aceh (a land cell: the town, near the harbour) to the sea east of Sumatra's north tip:
# the great circle crosses Aceh
BANDA_ACEH, EAST_OF_TIP = (95.32, 5.56), (97.5, 5.3)
# off Phuket's west coast to Chalong Bay on its south-east: round Promthep Cape (both at sea)
PHUKET_WEST, CHALONG_BAY = (98.25, 7.9), (98.40, 7.78)
# inland Thailand, 200 km from any sea
INLAND = (101.0, 15.0)
GULF_OF_THAILAND = (100.5, 12.5)


@pytest.fixture(scope="module", autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One sarkit cache for this module's masks."""
    folder = tmp_path_factory.mktemp("sarkit-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARKIT_CACHE", str(folder))
        yield folder


def _great_circle_nm(a, b) -> float:
    return WGS84.inv(*a, *b)[2] / NAUTICAL_MILE


def _land_on_legs(route: SeaRoute, step_m: float = 10.0) -> list[int]:
    """Legs of the route with a point in a land cell, sampled every ``step_m`` along the
    geodesic, on the very raster the route was found on."""
    mask = land_mask(route.bbox, route.resolution_m)
    bad = []
    for k, ((x0, y0), (x1, y1)) in enumerate(pairwise(route.waypoints)):
        leg = WGS84.inv_intermediate(x0, y0, x1, y1, del_s=step_m, initial_idx=0,
                                     terminus_idx=0, return_back_azimuth=True)
        if mask.contains(np.asarray(leg.lons), np.asarray(leg.lats)).any():
            bad.append(k)
    return bad


def _polyline_nm(waypoints: np.ndarray) -> float:
    return sum(WGS84.inv(*p, *q)[2] for p, q in pairwise(waypoints)) / NAUTICAL_MILE


def test_open_water_is_the_great_circle():
    route = sea_route(OPEN_A, OPEN_B)
    assert route.direct
    assert route.distance_nm == pytest.approx(_great_circle_nm(OPEN_A, OPEN_B), rel=1e-3)
    np.testing.assert_allclose(route.waypoints, [OPEN_A, OPEN_B])
    assert route.resolution_m == 450.0
    assert "great circle" in route.note
    assert not _land_on_legs(route)


@pytest.mark.parametrize(
    ("start", "end", "longer"),
    [(BANDA_ACEH, EAST_OF_TIP, 1.02), (PHUKET_WEST, CHALONG_BAY, 1.15)],
    ids=["banda-aceh-round-the-tip", "phuket-round-promthep-cape"],
)
def test_a_route_goes_around_land(start, end, longer):
    mask = land_mask((min(start[0], end[0]) - 0.05, min(start[1], end[1]) - 0.05,
                      max(start[0], end[0]) + 0.05, max(start[1], end[1]) + 0.05))
    crossed = np.linspace(start, end, 2000)
    assert mask.contains(crossed[:, 0], crossed[:, 1]).any()  # land in the way

    route = sea_route(start, end)

    assert not route.direct
    assert route.distance_nm > longer * _great_circle_nm(start, end)
    assert route.distance_nm == pytest.approx(_polyline_nm(route.waypoints), rel=1e-9)
    assert len(route.waypoints) >= 3
    assert not _land_on_legs(route)
    raster = land_mask(route.bbox, route.resolution_m)
    assert not raster.contains(route.waypoints[:, 0], route.waypoints[:, 1]).any()
    np.testing.assert_allclose(route.waypoints[-1], end)
    if raster.contains(*start):  # a port on land: the route leaves from the sea nearby
        moved = WGS84.inv(*start, *route.waypoints[0])[2]
        assert 0 < moved <= HARBOUR_REACH_M + route.resolution_m
        assert f"{start[0]:.3f}E" in route.note and "nearest sea" in route.note
    else:
        np.testing.assert_allclose(route.waypoints[0], start)


def test_banda_aceh_leaves_from_its_harbour():
    route = sea_route(BANDA_ACEH, EAST_OF_TIP)
    assert "(5.560N 95.320E) is on land" in route.note
    lon, lat = route.waypoints[0]
    assert WGS84.inv(*BANDA_ACEH, lon, lat)[2] < 6000.0
    # around the north tip of Sumatra (5.6 N and more), not over it
    assert route.waypoints[:, 1].max() > 5.6


def test_a_start_far_inland_is_refused():
    with pytest.raises(BadValueError) as info:
        sea_route(INLAND, GULF_OF_THAILAND)
    message = str(info.value)
    assert "start (15.000N 101.000E) is on land" in message
    assert "no sea within" in message and "Fix: give a start at sea" in message
    with pytest.raises(BadValueError, match=r"end \(15\.000N 101\.000E\) is on land"):
        sea_route(GULF_OF_THAILAND, INLAND)


def test_the_same_route_twice():
    first = sea_route(BANDA_ACEH, EAST_OF_TIP)
    second = sea_route(BANDA_ACEH, EAST_OF_TIP)
    assert first.distance_nm == second.distance_nm
    np.testing.assert_array_equal(first.waypoints, second.waypoints)
    assert (first.direct, first.note, first.resolution_m, first.bbox) == (
        second.direct, second.note, second.resolution_m, second.bbox)
    assert not first.waypoints.flags.writeable


def test_a_long_route_uses_a_coarser_raster_and_stays_at_sea():
    route = sea_route(PHUKET_WEST, (95.6, 5.9))  # about 200 NM across the Andaman Sea
    assert route.resolution_m > 450.0
    ny, nx = land_mask(route.bbox, route.resolution_m).shape
    assert max(ny, nx) <= routing.MAX_SIDE_CELLS + 1
    assert not _land_on_legs(route)


def test_a_finer_raster_on_request():
    route = sea_route(BANDA_ACEH, EAST_OF_TIP, resolution_m=450.0)
    assert route.resolution_m == 450.0
    assert not _land_on_legs(route)
    with pytest.raises(BadValueError, match="resolution_m"):
        sea_route(BANDA_ACEH, EAST_OF_TIP, resolution_m=20.0)  # too many cells


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ((95.0, math.nan), OPEN_B, "start latitude"),
        (OPEN_A, (96.0, 95.0), "end latitude"),
        ((95.0,), OPEN_B, r"not a \(lon, lat\) pair"),
        (OPEN_A, (400.0, 8.0), "end longitude"),
    ],
)
def test_bad_points_are_refused(start, end, words):
    with pytest.raises(BadValueError, match=words):
        sea_route(start, end)


# --- waters that do not meet (a synthetic coastline) --------------------------------------


def _lagoon_coast(ring_deg: float, calls: list):
    """A stand-in for land_mask: sea everywhere but a ring of land, 0.3 deg across its inner
    edge and ``ring_deg`` wide, round (100 E, 0 N); cells of 0.01 deg."""

    def fake(bbox, resolution_m):
        calls.append((tuple(bbox), resolution_m))
        west, south, east, north = bbox
        nx, ny = round((east - west) / 0.01), round((north - south) / 0.01)
        lon = west + (np.arange(nx) + 0.5) * 0.01
        lat = south + (np.arange(ny) + 0.5) * 0.01
        r = np.hypot(lon[None, :] - 100.0, lat[:, None])
        land = (r >= 0.3) & (r < 0.3 + ring_deg)
        return LandMask(west, south, 0.01, 0.01, land, source="test lagoon")

    return fake


def test_waters_that_do_not_meet_widen_the_box_then_are_refused(monkeypatch):
    calls: list = []
    monkeypatch.setattr(routing, "land_mask", _lagoon_coast(0.2, calls))
    with pytest.raises(BadValueError, match="no sea route from"):
        sea_route((100.0, 0.0), (101.0, 0.0))
    assert len(calls) == 3  # the box widened twice
    widths = [box[2] - box[0] for box, _ in calls]
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_a_start_in_a_lagoon_leaves_by_the_nearest_sea_outside(monkeypatch):
    monkeypatch.setattr(routing, "land_mask", _lagoon_coast(0.02, []))  # 2.2 km of land
    route = sea_route((100.29, 0.0), (101.0, 0.0))
    assert "(a lagoon?)" in route.note
    assert route.waypoints[0, 0] > 100.32  # moved across the ring, out of the lagoon
    assert route.direct  # east across open sea from there


def test_around_a_synthetic_island_is_near_the_shortest_way(monkeypatch):
    monkeypatch.setattr(routing, "land_mask", _lagoon_coast(0.2, []))
    # west of the ring to east of it: the taut string hugs the ring (radius 0.5 deg)
    route = sea_route((99.2, 0.0), (100.8, 0.0))
    assert not route.direct
    # tangents to a circle of radius R from points at distance D each side, and the arc
    d, r = 0.8, 0.5
    tangent = math.sqrt(d * d - r * r)
    arc = r * (math.pi - 2.0 * math.acos(r / d))
    shortest_nm = (2.0 * tangent + arc) * 60.0  # near the equator: a degree is about 60 NM
    assert shortest_nm * 0.995 < route.distance_nm < shortest_nm * 1.02
