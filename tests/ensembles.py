"""Ensemble forecasts for the tests: members stacked along a member dimension, as a model
centre's ensemble file holds them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr


def ensemble_of(members: Sequence[xr.Dataset], dim: str,
                standard_name: str | None = None) -> xr.Dataset:
    """``members`` (each a (time, lat, lon) forecast) as one dataset along ``dim``, numbered
    from 0, with that ``standard_name`` on the member coordinate where given."""
    ensemble = xr.concat(members, dim=dim).transpose("time", dim, "lat", "lon")
    attrs = {"standard_name": standard_name} if standard_name else {}
    ensemble[dim] = (dim, np.arange(len(members)), attrs)
    return ensemble
