"""Find current and wind components in a netCDF file, and their units.

Variables are found by CF ``standard_name`` first and by name second. The two
tables below are the documented contract: a file whose velocity is found by
neither can still be read by naming the variables (``variables=("u", "v")``).

Components are *east/north* (already geographic) or *grid-relative* (x/y along
the model's grid axes, to be rotated). A component found by its name alone is
taken as grid-relative: on a plain lon/lat grid the rotation is zero, and on a
curvilinear or projected grid model output named ``u``/``v`` is along the grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import xarray as xr

from sarkit.forcing.grid import Quantity
from sarkit.units import speed_factor, units_in_long_name

__all__ = [
    "ALIASES",
    "STANDARD_NAMES",
    "Component",
    "find_components",
    "partner_name",
    "velocity_units",
]

C, W = Quantity.CURRENT, Quantity.WIND

STANDARD_NAMES: dict[str, tuple[Quantity, str, bool]] = {
    # standard_name: (quantity, axis "x"/"y", grid_relative)
    "eastward_sea_water_velocity": (C, "x", False),
    "northward_sea_water_velocity": (C, "y", False),
    "surface_eastward_sea_water_velocity": (C, "x", False),
    "surface_northward_sea_water_velocity": (C, "y", False),
    "sea_water_x_velocity": (C, "x", True),
    "sea_water_y_velocity": (C, "y", True),
    "sea_water_surface_x_velocity": (C, "x", True),
    "sea_water_surface_y_velocity": (C, "y", True),
    "sea_water_x_velocity_at_u_location": (C, "x", True),
    "sea_water_y_velocity_at_v_location": (C, "y", True),
    "x_sea_water_velocity": (C, "x", True),  # met.no spelling
    "y_sea_water_velocity": (C, "y", True),
    "eastward_wind": (W, "x", False),
    "northward_wind": (W, "y", False),
    "x_wind": (W, "x", True),
    "y_wind": (W, "y", True),
}
"""CF standard names of velocity components (names compared in lower case, spaces as _)."""

ALIASES: dict[str, tuple[Quantity, str]] = {
    # currents: generic, CMEMS, HYCOM/RTOFS, ROMS surface, NEMO, GlobCurrent, OSCAR
    **dict.fromkeys(("u", "uo", "water_u", "u_sur", "ucur", "utotal", "uoce", "vozocrtx",
                     "sozocrtx", "u_surface", "uvel"), (C, "x")),
    **dict.fromkeys(("v", "vo", "water_v", "v_sur", "vcur", "vtotal", "voce", "vomecrty",
                     "somecrty", "v_surface", "vvel"), (C, "y")),
    # 10 m winds: ERA5, MERRA-2, AROME, GFS (THREDDS and GRIB names), NCEP, ROMS, FVCOM
    **dict.fromkeys(("u10", "u10m", "x_wind", "x_wind_10m", "uwnd", "air_u", "uwind", "wind_u",
                     "u_wind", "windu", "ugrd10m", "u-component_of_wind_height_above_ground"),
                    (W, "x")),
    **dict.fromkeys(("v10", "v10m", "y_wind", "y_wind_10m", "vwnd", "air_v", "vwind", "wind_v",
                     "v_wind", "windv", "vgrd10m", "v-component_of_wind_height_above_ground"),
                    (W, "y")),
}
"""Variable names (lower case) recognised when no standard_name identifies a component."""


@dataclass(frozen=True)
class Component:
    """One velocity component found in a dataset.

    Attributes
    ----------
    name : str
        Variable name in the file.
    quantity : Quantity
        CURRENT or WIND.
    axis : str
        ``"x"`` (eastward or along the grid's first axis) or ``"y"``.
    grid_relative : bool
        True if the component is along the model grid, False if east/north.
    found_by : str
        ``"standard_name <name>"``, ``"name"`` or ``"given"``.
    """

    name: str
    quantity: Quantity
    axis: str
    grid_relative: bool
    found_by: str


def _standard_name(variable: xr.DataArray) -> str:
    return str(variable.attrs.get("standard_name", "")).strip().lower().replace(" ", "_")


def find_components(dataset: xr.Dataset) -> list[Component]:
    """Every velocity component in ``dataset``, standard names before aliases.

    For each (quantity, axis) at most one component is returned: the first
    variable whose standard name matches, else the first whose name matches.
    """
    found: dict[tuple[Quantity, str], Component] = {}
    names = sorted(dataset.data_vars, key=lambda n: -dataset[n].ndim)
    for name in names:
        rule = STANDARD_NAMES.get(_standard_name(dataset[name]))
        if rule and dataset[name].ndim >= 2:
            quantity, axis, relative = rule
            found.setdefault(
                (quantity, axis),
                Component(str(name), quantity, axis, relative,
                          f"standard_name {_standard_name(dataset[name])}"),
            )
    for name in names:
        rule = ALIASES.get(str(name).lower())
        if rule and dataset[name].ndim >= 2 and (rule not in found):
            quantity, axis = rule
            if _standard_name(dataset[name]) and _standard_name(dataset[name]) in STANDARD_NAMES:
                continue
            found[rule] = Component(str(name), quantity, axis, True, "name")
    return sorted(found.values(), key=lambda c: (c.quantity.value, c.axis))


def partner_name(component: Component) -> str | None:
    """The usual name of the other component of ``component``'s pair (``uo`` -> ``vo``,
    ``water_u`` -> ``water_v``, ``u10`` -> ``v10``), or None when there is no usual one."""
    name = component.name
    other = "y" if component.axis == "x" else "x"
    swaps = (("u", "v"), ("x", "y")) if component.axis == "x" else (("v", "u"), ("y", "x"))
    for old, new in swaps:
        for i, char in enumerate(name.lower()):
            if char != old:
                continue
            candidate = name[:i] + (new.upper() if name[i].isupper() else new) + name[i + 1:]
            if ALIASES.get(candidate.lower()) == (component.quantity, other):
                return candidate
    return None


def velocity_units(variable: xr.DataArray, given: str | None = None) -> tuple[float, str]:
    """Factor to m/s for a velocity variable, and the units text it came from.

    Parameters
    ----------
    variable : xarray.DataArray
        The raw variable (attributes as in the file).
    given : str, optional
        Units the caller states; used only when the variable has none.

    Returns
    -------
    factor : float
        Multiply the values by it to get m/s.
    units : str
        The units text used, and where it was found.

    Raises
    ------
    ValueError
        If the units are missing or not a speed; the message names the units.
    """
    units = variable.attrs.get("units")
    where = "units"
    if units is None or not str(units).strip():
        units = units_in_long_name(str(variable.attrs.get("long_name", "")))
        where = "long_name"
    if units is None:
        if given is None:
            raise ValueError("has no units")
        units, where = given, "given"
    factor = speed_factor(str(units))
    if not math.isfinite(factor):
        raise ValueError(f"has units {units!r} that are not a speed")
    return factor, f"{str(units).strip()} ({where})" if where != "units" else str(units).strip()
