"""Trajectories as CF netCDF (featureType trajectory), written atomically."""

from __future__ import annotations

import os
from pathlib import Path

import xarray as xr

from sarkit.files.atomic import atomic_path

__all__ = ["read_trajectories", "write_trajectories"]


def write_trajectories(trajectories: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write a :func:`sarkit.drift.simulate` result to netCDF (compressed), atomically.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    encoding = {
        name: {"zlib": True, "complevel": 4}
        for name, variable in trajectories.data_vars.items()
        if variable.dtype.kind in "fiu"
    }
    with atomic_path(path) as temporary:
        trajectories.to_netcdf(temporary, encoding=encoding)
    return Path(path)


def read_trajectories(path: str | os.PathLike) -> xr.Dataset:
    """Read trajectories written by :func:`write_trajectories` (loaded into memory)."""
    with xr.open_dataset(path) as dataset:
        return dataset.load()
