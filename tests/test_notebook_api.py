"""What a notebook holds shows itself and converts in one call; the plot and files rings
map it and write it (no core class reaches up a ring)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sarkit
import sarkit.plot
from sarkit.app.drift import run_scenario
from sarkit.files import load_plan_file
from sarkit.files.geojson import areas_collection
from sarkit.files.scenario_toml import default_scenario
from sarkit.files.waypoints_csv import waypoints_table
from sarkit.planning import plan_search

EXAMPLE_PLAN = Path(sarkit.__file__).parent / "data" / "example_plan.toml"
AT = ["2024-06-11T02:00Z", "2024-06-12T02:00Z"]


@pytest.fixture(scope="module")
def result():
    return run_scenario(default_scenario(), particles=400, seed=3, at=AT)


@pytest.fixture(scope="module")
def plan(result):
    plan_file = load_plan_file(EXAMPLE_PLAN)
    return plan_search(result.trajectories, plan_file.assets, plan_file.window,
                       plan_file.weather, name="test plan")


def _is_axes(ax) -> bool:
    from matplotlib.axes import Axes

    return isinstance(ax, Axes) and ax.figure is not None


def test_forcing_grid_shows_and_plots():
    from sarkit.forcing import open_forcing
    from sarkit.forcing.synthetic import andaman_monsoon

    grid = open_forcing(andaman_monsoon(kind="wind", hours=6), "wind").load()
    assert repr(grid).startswith("<ForcingGrid wind")
    assert grid._repr_html_().startswith("<pre>&lt;ForcingGrid")
    ax = sarkit.plot.plot_forcing(grid, "2024-06-10T03:00Z", land=False)
    assert _is_axes(ax) and "wind" in ax.get_title()
    assert not hasattr(grid, "plot")


def test_trajectories_summary_table_and_map(result):
    summary = sarkit.summarize_trajectories(result.trajectories)
    assert summary.particles == 400 and sum(summary.counts.values()) == 400
    assert summary.objects == ("FISHING-VESSEL-1",) and not summary.backward
    assert "400" in repr(summary) and "<table>" in summary._repr_html_()
    last = sarkit.trajectories_dataframe(result.trajectories)
    assert len(last) == 400 and set(last["status"]) <= {"active", "stranded"}
    every = sarkit.trajectories_dataframe(result.trajectories, time=None)
    assert len(every) == 400 * result.trajectories.sizes["time"]
    np.testing.assert_allclose(last["lon"], result.trajectories["lon"].values[:, -1])
    assert _is_axes(sarkit.plot.plot_tracks(result.trajectories, land=False))
    with pytest.raises(sarkit.SarkitError, match="not a drift ensemble"):
        sarkit.summarize_trajectories({"lon": 1})


def test_poc_grid_table_and_map(result):
    grid = result.grids[0]
    table = grid.to_dataframe()
    assert table["poc"].sum() == pytest.approx(1.0)
    assert table["poc"].is_monotonic_decreasing
    assert table["cumulative_poc"].iloc[-1] == pytest.approx(1.0)
    assert len(grid.to_dataframe(all_cells=True)) == grid.poc.size
    assert "POC grid" in grid._repr_html_()
    assert _is_axes(sarkit.plot.plot_poc(grid, land=False))
    assert not hasattr(grid, "plot")


def test_search_areas_show_convert_and_plot(result):
    areas = result.areas[-1]
    text = repr(areas)
    assert text.startswith("<SearchAreas at 2024-06-12T02:00Z") and "90%" in text
    assert "<table>" in areas._repr_html_()
    table = areas.to_dataframe()
    assert list(table["level"]) == [0.5, 0.9, 0.95]
    assert table["area_nm2"].is_monotonic_increasing
    collection = areas_collection(areas, scenario="x")
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["kind"] for f in collection["features"]} == {
        "area", "rectangle", "datum"}
    assert _is_axes(sarkit.plot.plot_search_areas(areas))
    assert not any(hasattr(areas, name) for name in ("plot", "to_geojson", "to_features"))


def test_drift_result_show_convert_and_plot(result):
    assert repr(result).startswith("<DriftResult\n") and "datum" in repr(result)
    html = result._repr_html_()
    assert "<table>" in html and "IAMSAR" in html
    assert "2024-06-11T02:00Z (" in html and " local (UTC+" in html  # local time beside UTC
    table = result.to_dataframe()
    assert len(table) == 6 and isinstance(table, pd.DataFrame)
    assert (table["iamsar_radius_nm"] > 0).all()
    kinds = [f["properties"]["kind"] for f in result.to_geojson()["features"]]
    assert kinds.count("area") == 6 and kinds.count("iamsar_circle") == 2
    ax = result.plot(0)
    assert _is_axes(ax) and "2024-06-11 02:00" in ax.get_title()


def test_search_plan_show_convert_and_plot(plan):
    assert repr(plan).startswith("<SearchPlan 'test plan'") and "total POS" in repr(plan)
    html = plan._repr_html_()
    assert "<table>" in html and "left out: AMSA Challenger (Perth)" in html
    table = plan.to_dataframe()
    assert list(table["asset"]) == [item.name for item in plan.assignments]
    assert table["pos"].sum() == pytest.approx(plan.total_pos, abs=1e-3)
    waypoints = waypoints_table(plan)
    first = plan.assignments[0]
    rows = waypoints[waypoints["asset"] == first.name]
    np.testing.assert_allclose(rows[["lon", "lat"]].to_numpy(), first.pattern.waypoints,
                               atol=1e-6)
    assert _is_axes(sarkit.plot.plot_plan(plan))
    assert not any(hasattr(plan, name) for name in ("plot", "to_geojson", "waypoints"))
