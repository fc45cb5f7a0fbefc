"""The search-area map: it renders headless, to a valid PNG, with the coast and a full legend."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.drift.coast import LandMask
from sarkit.poc import poc_grid, search_areas
from sarkit.poc.iamsar import iamsar_area
from tests.poc import make_trajectories, offsets_to_lonlat

matplotlib = pytest.importorskip("matplotlib")

PHUKET = (98.2, 7.9)


def _two_clouds(seed: int = 1, n: int = 600, nt: int = 5):
    """Particles drifting from west of Phuket into two clouds, one near the coast."""
    rng = np.random.default_rng(seed)
    east = np.r_[rng.normal(0, 5, n // 2), rng.normal(45, 4, n - n // 2)]
    north = np.r_[rng.normal(0, 4, n // 2), rng.normal(-35, 4, n - n // 2)]
    frac = np.linspace(0.0, 1.0, nt)
    lon, lat = offsets_to_lonlat(east[:, None] * frac, north[:, None] * frac, 97.5, 8.5)
    ds = make_trajectories(lon, lat)
    ds.attrs["currents"] = "SYNTHETIC gyre (tests)"
    return ds


@pytest.fixture(scope="module")
def drift():
    ds = _two_clouds()
    return ds, search_areas(poc_grid(ds))


@pytest.fixture
def no_coast(monkeypatch):
    """A land mask with one block of land, so most tests need not load roaring-landmask."""
    asked = []

    def fake(bbox, resolution_m=450.0):
        asked.append((tuple(bbox), resolution_m))
        land = np.zeros((40, 50), np.uint8)
        land[20:, 35:] = 1
        west, south, east, north = bbox
        return LandMask(west, south, (east - west) / 50, (north - south) / 40, land)

    monkeypatch.setattr("sarkit.plot.areas.land_mask", fake)
    return asked


def _legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def test_save_map_writes_a_png_with_the_real_coast(drift, tmp_path):
    from matplotlib.image import imread

    from sarkit.plot.areas import DPI, FIGSIZE, save_map

    ds, areas = drift
    path = save_map(tmp_path / "maps" / "areas.png", areas, trajectories=ds, lkp=(97.5, 8.5))
    assert path == tmp_path / "maps" / "areas.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = imread(path)
    assert image.shape[:2] == (round(FIGSIZE[1] * DPI), round(FIGSIZE[0] * DPI))
    assert image.std() > 0.05  # not blank
    assert [p.name for p in path.parent.iterdir()] == ["areas.png"]  # no temporary left


def test_map_shows_areas_markers_and_coast(drift, no_coast):
    from matplotlib.colors import to_rgba

    from sarkit.plot.areas import LAND_COLOUR, MAX_LAND_PIXELS, SHORE_COLOUR, plot_search_areas

    ds, areas = drift
    ax = plot_search_areas(areas, trajectories=ds, lkp=(97.5, 8.5))
    texts = _legend_texts(ax)
    for entry in areas.levels:
        pct = f"{entry.level * 100:g} %"
        assert any(t.startswith(f"{pct} area: ") and t.endswith(" NM²") for t in texts), pct
    assert any(t.startswith("90 % rectangle") for t in texts)
    assert any(t.startswith("Datum") for t in texts)
    assert any(t.startswith("LKP") for t in texts)
    assert "Drift envelope (all particles, all times)" in texts
    assert any(t.startswith("Sample drift tracks (50 of 600)") for t in texts)
    # a run that kept only its last positions says what its envelope is of
    last = ds.isel(time=[-1])
    last_texts = _legend_texts(plot_search_areas(areas, trajectories=last, lkp=(97.5, 8.5)))
    assert "Drift envelope (all particles, last positions)" in last_texts
    # the coastline raster is at most MAX_LAND_PIXELS wide, and drawn
    (west, south, east, north), resolution = no_coast[0]
    width_m = (east - west) * 111_195 * np.cos(np.radians(min(abs(south), abs(north))))
    assert width_m / resolution <= MAX_LAND_PIXELS + 1
    # the fake's land block (rows 20-39, columns 35-49 of 40 x 50 cells) is filled to the
    # raster's edges, and its shore runs along the block's two inner sides only
    dlon, dlat = (east - west) / 50, (north - south) / 40
    block = [west + 35 * dlon, south + 20 * dlat, east, north]
    land_patches = [p for p in ax.patches if p.get_facecolor() == to_rgba(LAND_COLOUR)]
    assert len(land_patches) == 1
    assert land_patches[0].get_path().get_extents().extents == pytest.approx(block)
    shores = [p for p in ax.patches if p.get_edgecolor() == to_rgba(SHORE_COLOUR)]
    assert len(shores) == 1
    shore = shores[0].get_path().vertices
    assert shore[:, 0].min() == pytest.approx(block[0])
    assert shore[:, 1].min() == pytest.approx(block[1])
    on_inner_sides = (np.isclose(shore[:, 0], block[0]) | np.isclose(shore[:, 1], block[1]))
    assert on_inner_sides.all()
    # the map holds every particle, the LKP and the areas
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    lon, lat = ds["lon"].values, ds["lat"].values
    assert x0 < lon.min() and lon.max() < x1 and y0 < lat.min() and lat.max() < y1
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians((y0 + y1) / 2)))
    assert ax.get_title().startswith("Search areas at 2026-03-01 10:00 UTC")
    labels = [t.get_text() for t in ax.texts]
    assert any("SYNTHETIC" in t for t in labels)
    assert any("GSHHG" in t for t in labels)
    # the scale bar: 0, the middle and the end with its unit
    ends = [t for t in labels if t.endswith(" NM") and t[:-3].replace(".", "").isdigit()]
    assert len(ends) == 1 and "0" in labels and f"{float(ends[0][:-3]) / 2:g}" in labels
    # a locator inset holding the map's extent
    insets = [a for a in ax.figure.axes if a.get_title() == "where the map is"]
    assert len(insets) == 1
    (i0, i1), (j0, j1) = insets[0].get_xlim(), insets[0].get_ylim()
    assert i0 < x0 < x1 < i1 and j0 < y0 < y1 < j1
    assert "N" in labels  # north arrow
    ticks = [ax.xaxis.get_major_formatter()(v, 0) for v in ax.get_xticks()]
    assert ticks and all(t.endswith("°E") for t in ticks)


def test_map_into_given_axes_with_iamsar_and_title(drift, no_coast):
    from matplotlib.figure import Figure

    from sarkit.plot.areas import plot_search_areas

    _, areas = drift
    fig = Figure()
    ax = fig.add_subplot()
    circle = iamsar_area(areas.datum_lon, areas.datum_lat, 10.0)
    out = plot_search_areas(areas, iamsar=circle, title="Case 42", ax=ax,
                            land_resolution_m=2000.0)
    assert out is ax
    assert ax.get_title() == "Case 42"
    assert no_coast[0][1] == 2000.0
    texts = _legend_texts(ax)
    assert any(t.startswith("IAMSAR circle: R = ") for t in texts)
    assert not any("LKP" in t or "envelope" in t for t in texts)
    assert not any("SYNTHETIC" in t.get_text() for t in ax.texts)
    assert fig.axes == [ax]  # no inset in a figure the caller laid out


def test_save_map_refuses_an_axes(drift, tmp_path):
    from sarkit.plot.areas import save_map

    with pytest.raises(TypeError):
        save_map(tmp_path / "x.png", drift[1], ax=object())


def test_scale_bar_length_is_round():
    from sarkit.plot.areas import _nice_step

    assert _nice_step(1.0) == pytest.approx(0.2)
    assert _nice_step(3.0) == pytest.approx(1.0)
    assert _nice_step(0.07) == pytest.approx(0.02)


def test_degree_labels():
    from sarkit.plot.areas import _degrees

    assert _degrees(98.25, "EW", 2) == "98.25°E"
    assert _degrees(181.5, "EW", 1) == "178.5°W"
    assert _degrees(180.0, "EW", 1) == "180.0°"
    assert _degrees(-7.5, "NS", 1) == "7.5°S"
    assert _degrees(0.0, "NS", 0) == "0°"


def test_a_drift_on_two_models_marks_each_models_datum():
    from sarkit.app.run import drift_scenario
    from sarkit.files.scenario_toml import scenario_from_dict
    from sarkit.plot import plot_search_areas

    scenario = scenario_from_dict({
        "object": "FISHING-VESSEL-1", "particles": 600, "seed": 3,
        "lkp": {"time": "2024-06-10T00:00Z", "lon": 96.0, "lat": 9.0, "radius_nm": 1},
        "run": {"duration_hours": 12, "timestep_minutes": 30, "diffusivity_m2_s": 1},
        "forcing": {"winds": {"constant": [0.0, 0.0]}, "currents": [
            {"name": "east model", "weight": 0.7, "constant": [0.5, 0.0]},
            {"name": "west model", "weight": 0.3, "constant": [-0.5, 0.0]}]}})
    trajectories = drift_scenario(scenario)
    areas = search_areas(poc_grid(trajectories))
    texts = _legend_texts(plot_search_areas(areas, trajectories=trajectories))
    assert any(t.startswith("Datum of all forcings") for t in texts)
    east = next(t for t in texts if t.startswith("Datum on east model (70%)"))
    west = next(t for t in texts if t.startswith("Datum on west model (30%)"))
    # 0.5 m/s for 12 h: about 0.2 degrees either side of 96.0E
    assert "96.1" in east or "96.2" in east
    assert "95.8" in west or "95.9" in west
