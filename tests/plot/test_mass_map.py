"""The mass-event map: one panel per period, every rectangle labelled clear of the rectangles,
tracks unlike the particles, a locator inset."""

from __future__ import annotations

import pytest
import shapely

from sarkit.app.run import drift_scenario
from sarkit.files.casefile import Case, CaseFile
from sarkit.files.scenario_toml import scenario_from_dict
from sarkit.mass import CaseRun, plan_event
from sarkit.planning import Asset, SearchWindow, Weather, asset_type, rescue_centre
from sarkit.times import parse_time

matplotlib = pytest.importorskip("matplotlib")

START = "2024-06-10T00:00:00Z"
PERIODS = (SearchWindow.from_iso("2024-06-10T04:00Z", "2024-06-10T07:00Z"),
           SearchWindow.from_iso("2024-06-10T07:00Z", "2024-06-10T10:00Z"),
           SearchWindow.from_iso("2024-06-10T10:00Z", "2024-06-10T13:00Z"))


def _case(case_id: str, persons: int, lon: float, lat: float, seed: int) -> Case:
    scenario = scenario_from_dict({
        "name": f"boat {case_id}", "object": "FISHING-VESSEL-1", "particles": 300,
        "seed": seed, "lkp": {"time": START, "lon": lon, "lat": lat, "radius_nm": 6},
        "run": {"duration_hours": 14, "timestep_minutes": 30, "output_every_minutes": 60},
        "forcing": {"currents": {"constant": [0.1, 0.05]}, "winds": {"constant": [0.0, 0.0]}},
    })
    return Case(case_id, f"boat {case_id}", scenario, persons)


ASSETS = (
    Asset("Aceh boat", asset_type("kn-sar-class-2"), parse_time("2024-06-09T12:00Z"),
          centre=rescue_centre("banda aceh"), search_speed_kt=10.0, search_height_ft=14),
    Asset("Thai aircraft", asset_type("cn235-mpa"), parse_time("2024-06-10T02:00Z"),
          centre=rescue_centre("phuket"), search_speed_kt=150.0, search_height_ft=1000),
    Asset("Thai aircraft 2", asset_type("cn235-mpa"), parse_time("2024-06-10T02:00Z"),
          centre=rescue_centre("phuket"), search_speed_kt=150.0, search_height_ft=1000),
)
EVENT = CaseFile(name="two boats",
                 cases=(_case("N", 40, 97.4, 7.4, 1), _case("S", 120, 95.2, 6.2, 2)),
                 assets=ASSETS, regions=(), periods=PERIODS,
                 weather=Weather(visibility_nm=10, wind_kt=10, seas_m=0.5), tables="uscg",
                 cell_nm=None)


@pytest.fixture(scope="module")
def result():
    runs = tuple(CaseRun(case.case_id, case.persons, drift_scenario(case.scenario))
                 for case in EVENT.cases)
    return plan_event(EVENT, runs)


def _tags(result, period):
    return {f"{e.case_id}{j + 1}" for e in result.joint.entries if e.period == period
            and e.plan is not None for j in range(len(e.plan.assignments))}


def test_one_panel_per_period_each_rectangle_labelled_clear_of_the_rectangles(result):
    from sarkit.plot.mass import TRACK_COLOUR, plot_event

    first = plot_event(result)
    fig = first.figure
    panels = [a for a in fig.axes if a.get_title(loc="left").startswith("period ")]
    assert [a.get_title(loc="left").split(":")[0] for a in panels] == [
        "period 1", "period 2", "period 3"]
    assert first is panels[0]
    assert any(a.get_title() == "where the map is" for a in fig.axes)
    assert len({(a.get_xlim(), a.get_ylim()) for a in panels}) == 1  # one extent for all
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labelled = 0
    for period, panel in enumerate(panels):
        entries = [e for e in result.joint.entries if e.period == period and e.plan is not None]
        rectangles = [item.polygon for e in entries for item in e.plan.assignments]
        tags = {t.get_text(): t for t in panel.texts if t.get_text() in _tags(result, period)}
        assert set(tags) == _tags(result, period)
        on_screen = [shapely.Polygon(panel.transData.transform(p.exterior.coords))
                     for p in rectangles]
        for text in tags.values():
            box = text.get_bbox_patch().get_window_extent(renderer)
            label = shapely.box(box.x0, box.y0, box.x1, box.y1)
            assert not any(label.intersects(r) for r in on_screen), text.get_text()
            labelled += 1
        # tracks black, one per rectangle; particles in their case's colour
        tracks = [line for line in panel.lines if line.get_color() == TRACK_COLOUR]
        assert len(tracks) == len(rectangles)
        from matplotlib.collections import PathCollection

        scatters = [c for c in panel.collections if isinstance(c, PathCollection)]
        assert scatters
        for dots in scatters:
            assert matplotlib.colors.to_hex(dots.get_facecolor()[0][:3]) != TRACK_COLOUR
    assert labelled >= 3  # more than one period searched


def test_the_map_says_when_a_case_drifted_on_synthetic_forcing(result):
    import dataclasses

    from sarkit.plot.mass import plot_event

    def banner(fig) -> list[str]:
        return [t.get_text() for t in fig.texts if t.get_text().startswith("SYNTHETIC")]

    marked = dataclasses.replace(result.runs[1], trajectories=result.runs[1].trajectories.copy())
    marked.trajectories.attrs["currents"] = "SYNTHETIC gyre (tests)"
    synthetic = dataclasses.replace(result, runs=(result.runs[0], marked))
    assert banner(plot_event(synthetic).figure) == [
        "SYNTHETIC currents forcing: illustration only, not for operational use"]
    real = [dataclasses.replace(run, trajectories=run.trajectories.copy()) for run in result.runs]
    for run in real:
        run.trajectories.attrs.update(currents="cmems_uv.nc", winds="gfs_wind.nc")
    assert banner(plot_event(dataclasses.replace(result, runs=tuple(real))).figure) == []


def test_one_period_into_given_axes(result):
    from matplotlib.figure import Figure

    from sarkit.plot.mass import plot_event

    ax = Figure().add_subplot()
    assert plot_event(result, ax=ax, period=1) is ax
    assert ax.get_title(loc="left").startswith("period 2: ")
    assert len(ax.figure.axes) == 1
    with pytest.raises(IndexError):
        plot_event(result, period=3)


def test_save_event_map_writes_one_png_with_every_period(result, tmp_path):
    from matplotlib.image import imread

    from sarkit.plot.mass import PANEL_WIDTH, save_event_map

    path = save_event_map(tmp_path / "map.png", result)
    image = imread(path)
    assert image.shape[1] > 3 * PANEL_WIDTH * 100  # three panels wide (dpi 150)
