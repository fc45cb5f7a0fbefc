"""Notebook figures of forcing, tracks and POC say SYNTHETIC when their forcing was."""

from __future__ import annotations

import numpy as np
import pytest

from sarkit.forcing import open_forcing
from sarkit.forcing.synthetic import andaman_monsoon
from sarkit.poc import poc_grid
from tests.poc import make_trajectories, offsets_to_lonlat

matplotlib = pytest.importorskip("matplotlib")


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _synthetic(ax) -> bool:
    return any(t.startswith("SYNTHETIC") for t in _texts(ax))


def test_a_synthetic_field_is_labelled_and_a_model_field_is_not():
    from sarkit.plot import plot_forcing

    dataset = andaman_monsoon(kind="wind", hours=6)
    ax = plot_forcing(open_forcing(dataset, "wind").load(), land=False)
    assert "SYNTHETIC wind field: illustration only, not for operational use" in _texts(ax)
    model = dataset.copy()
    model.attrs = {"title": "a model's 10 m wind", "Conventions": "CF-1.8"}
    assert not _synthetic(plot_forcing(open_forcing(model, "wind").load(), land=False))


def _drift(synthetic: bool):
    rng = np.random.default_rng(3)
    east, north = rng.normal(0, 4, 400), rng.normal(0, 4, 400)
    frac = np.linspace(0.0, 1.0, 4)
    lon, lat = offsets_to_lonlat(east[:, None] * frac + 10 * frac, north[:, None] * frac,
                                 96.0, 9.0)
    ds = make_trajectories(lon, lat)
    ds.attrs["currents"] = "SYNTHETIC gyre (tests)" if synthetic else "cmems_uv.nc"
    ds.attrs["winds"] = "gfs_wind.nc"
    return ds


@pytest.mark.parametrize("synthetic", [True, False])
def test_tracks_and_poc_figures_say_synthetic_forcing(synthetic):
    from sarkit.plot import plot_poc, plot_tracks

    ds = _drift(synthetic)
    tracks = plot_tracks(ds, land=False)
    poc = plot_poc(poc_grid(ds), land=False, trajectories=ds)
    for ax in (tracks, poc):
        assert _synthetic(ax) is synthetic
        if synthetic:
            assert "SYNTHETIC currents forcing" in _texts(ax)[-1]
    assert not _synthetic(plot_poc(poc_grid(_drift(True)), land=False))  # nothing to tell it


def test_particles_by_class_and_by_forcing_show_each_share_and_datum():
    from sarkit.errors import SarkitError
    from sarkit.plot import plot_particles

    ds = _drift(True)
    n = ds.sizes["trajectory"]
    piw = np.arange(n) % 4 == 0
    ds["class_index"] = (("trajectory", "time"), np.repeat(piw[:, None].astype(np.int8),
                                                           ds.sizes["time"], axis=1),
                         {"flag_meanings": "FISHING-VESSEL-1 PIW-1"})
    ds["forcing_member"] = ("trajectory", (np.arange(n) % 2).astype(np.int32),
                            {"member_names": "model A; model B"})
    ax = plot_particles(ds, by="class", land=False)
    labels = ax.get_legend_handles_labels()[1]
    assert labels[0].startswith("FISHING-VESSEL-1: 75% of the probability (300 particles)")
    assert labels[1].startswith("PIW-1: 25%")
    assert "datum of all" in labels and _synthetic(ax)
    labels = plot_particles(ds, 0, by="forcing", land=False).get_legend_handles_labels()[1]
    assert labels[:2] == ["model A: 50% of the probability (200 particles)",
                          "model B: 50% of the probability (200 particles)"]
    with pytest.raises(SarkitError, match="one forcing only"):
        plot_particles(ds.drop_vars("forcing_member"), by="forcing", land=False)
    with pytest.raises(SarkitError, match="cannot group"):
        plot_particles(ds, by="colour", land=False)
