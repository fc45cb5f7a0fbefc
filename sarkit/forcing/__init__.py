"""Forcing: surface currents and 10 m winds, read from files or made analytically.

Everything the drift model reads is a :class:`ForcingGrid`: east/north
velocity in m/s on a regular lon/lat grid, NaN on land. :func:`open_forcing`
makes one from CF netCDF files (regular, curvilinear or projected grids, any
CF calendar, packed or not); :mod:`sarkit.forcing.synthetic` makes analytic
fields for tests and examples; :class:`ConstantSource` stands for a uniform
field a user states.
"""

from sarkit._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "constant": ["ConstantSource"],
    "grid": ["ForcingGrid", "Quantity"],
    "inspect": ["FileReport", "describe"],
    "netcdf": ["NetcdfSource", "open_forcing"],
})
