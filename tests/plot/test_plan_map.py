"""The plan map (``plan.png``): readable colour-bar ticks, a scale bar read without counting,
the search object by its name, tracks above the POC, the regions, the rectangles already
searched and a locator inset."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely

from sarkit.files.geojson import FlownSearch
from sarkit.files.planfile import load_plan_file
from sarkit.planning import plan_search
from tests.poc import make_trajectories, offsets_to_lonlat

matplotlib = pytest.importorskip("matplotlib")

EXAMPLE_PLAN = "sarkit/data/example_plan.toml"


@pytest.fixture(scope="module")
def plan():
    """The example plan's roster, window and weather over a still cloud west of the datum of
    the bundled scenario (no drift model: the map is under test)."""
    rng = np.random.default_rng(7)
    n, times = 3000, np.arange("2024-06-10T18", "2024-06-11T13", dtype="datetime64[h]")
    east, north = rng.normal(0.0, 6.0, n), rng.normal(0.0, 9.0, n)
    lon, lat = offsets_to_lonlat(east, north, 96.2, 9.3)
    lon = np.repeat(lon[:, None], times.size, axis=1)
    lat = np.repeat(lat[:, None], times.size, axis=1)
    ds = make_trajectories(lon, lat, times=times)
    ds.attrs["currents"] = "SYNTHETIC gyre (tests)"
    plan_file = load_plan_file(EXAMPLE_PLAN)
    made = plan_search(ds, plan_file.assets, plan_file.window, plan_file.weather,
                       search_object="power_boat_33ft", cell_nm=1.0, name="test plan")
    return ds, made


def _drawn(ax):
    ax.figure.canvas.draw()
    return ax.figure.canvas.get_renderer()


def _colour_bar(ax):
    bars = [a for a in ax.figure.axes if a is not ax and a.get_xlabel().startswith("POC per")]
    assert len(bars) == 1
    return bars[0]


def test_colour_bar_ticks_are_percentages_that_do_not_run_together(plan):
    from sarkit.plot.plan import plot_plan

    ds, made = plan
    ax = plot_plan(made, trajectories=ds)
    renderer = _drawn(ax)
    bar = _colour_bar(ax)
    labels = [t for t in bar.get_xticklabels() if t.get_visible() and t.get_text()]
    assert len(labels) >= 3
    assert "(%)" in bar.get_xlabel()
    top = float(np.max(made.poc.poc)) * 100
    assert all(0 <= float(t.get_text()) <= top for t in labels)
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    gaps = [right.x0 - left.x1 for left, right in itertools.pairwise(boxes)]
    assert min(gaps) > 2.0, gaps  # pixels of clear space between neighbours


@pytest.mark.parametrize("top", [3e-5, 0.00051, 0.0051, 0.036, 0.2, 1.0])
def test_poc_ticks_are_round_and_apart_on_the_bar(top):
    from sarkit.plot.plan import MIN_TICK_GAP, POC_GAMMA, poc_ticks

    ticks = poc_ticks(top)
    assert ticks[0] == 0.0 and len(ticks) >= 3 and ticks[-1] <= top
    places = (np.asarray(ticks) / top) ** POC_GAMMA
    assert np.all(np.diff(places) >= MIN_TICK_GAP - 1e-12)
    mantissas = [v / 10.0 ** np.floor(np.log10(v)) for v in ticks[1:]]
    assert all(min(abs(m - r) for r in (1, 2, 5)) < 1e-9 for m in mantissas)


def test_plan_map_reads_at_a_glance(plan):
    from sarkit.plot.plan import plot_plan

    ds, made = plan
    ax = plot_plan(made, trajectories=ds)
    texts = [t.get_text() for t in ax.texts]
    # the scale bar: 0, the middle and the end with its unit
    ends = [t for t in texts if t.endswith(" NM") and t[:-3].replace(".", "").isdigit()]
    assert len(ends) == 1
    length = float(ends[0][:-3])
    assert "0" in texts and f"{length / 2:g}" in texts
    # the search object by its name, not its key
    assert "Power boat 33 ft (10 m)" in ax.get_title(loc="left")
    assert "power_boat_33ft" not in ax.get_title(loc="left")
    # each track above the POC cells and the rectangles, on a dark outline
    mesh = next(c for c in ax.collections if c.get_array() is not None)
    tracks = [line for line in ax.lines if line.get_path_effects()]
    assert len(tracks) == len(made.assignments)
    assert all(line.get_zorder() > mesh.get_zorder() for line in tracks)
    assert all(line.get_zorder() > 5 for line in tracks)  # above the rectangles' outlines
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("SRR boundary") for t in legend)  # the datum is near two regions
    # the regions' names keep off the rectangles
    from sarkit.plot.areas import SRR_COLOUR

    renderer = _drawn(ax)
    names = [t for t in ax.texts if t.get_color() == SRR_COLOUR]
    assert names
    rectangles = [shapely.Polygon(ax.transData.transform(item.polygon.exterior.coords))
                  for item in made.assignments]
    for name in names:
        extent = name.get_window_extent(renderer)
        label = shapely.box(extent.x0, extent.y0, extent.x1, extent.y1)
        assert not any(label.intersects(r) for r in rectangles), name.get_text()
    assert any("SYNTHETIC" in t for t in texts)
    # a locator inset holding the map's extent
    insets = [a for a in ax.figure.axes if a.get_title() == "where the map is"]
    assert len(insets) == 1
    x0, x1 = insets[0].get_xlim()
    y0, y1 = insets[0].get_ylim()
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    assert x0 < west < east < x1 and y0 < south < north < y1


def test_update_map_shows_each_searched_rectangle(plan):
    from sarkit.plot.plan import plot_plan

    ds, made = plan
    flown = [FlownSearch(item.name, item.polygon, item.pod, item.start, item.end)
             for item in made.assignments]
    far = shapely.box(96.9, 9.9, 97.0, 10.0)  # away from the plan: the map widens to it
    flown.append(FlownSearch("HTMS Krabi", far, 0.7, made.window.start, made.window.end))
    ax = plot_plan(made, trajectories=ds, searched=flown)
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == len(flown)
    labels = [t.get_text() for t in ax.texts]
    assert [f"S{k + 1}" for k in range(len(flown))] == [t for t in labels if t[:1] == "S"
                                                           and t[1:].isdigit()]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith(f"S{len(flown)}. searched, nothing found: HTMS Krabi")
               and "POD 0.70" in t for t in legend)
    assert ax.get_xlim()[1] > 97.0 and ax.get_ylim()[1] > 10.0
    plain = plot_plan(made, trajectories=ds)
    assert not [p for p in plain.patches if p.get_hatch()]
