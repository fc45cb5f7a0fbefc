"""sarkit: maritime search-and-rescue drift and search planning for rescue coordination centres.

The public API is re-exported here. Importing sarkit compiles nothing and imports
neither matplotlib nor numba: the drift names (``simulate``, ``point`` ...) load
:mod:`sarkit.drift` on first use.
"""

from sarkit._version import __version__
from sarkit.errors import SarkitError
from sarkit.forcing import ConstantSource, ForcingGrid, Quantity, describe, open_forcing

_DRIFT = (
    "LandMask", "ObjectClass", "Particles", "Status", "area", "combine", "land_mask",
    "liu_weisberg_skill", "object_class", "point", "read_tracks", "search_objects",
    "simulate", "status_counts", "track", "summarize_trajectories", "trajectories_dataframe",
)

__all__ = [
    "ConstantSource",
    "ForcingGrid",
    "Quantity",
    "SarkitError",
    "__version__",
    "describe",
    "open_forcing",
    *_DRIFT,
]


def __getattr__(name: str):
    if name in _DRIFT:
        import sarkit.drift

        return getattr(sarkit.drift, name)
    raise AttributeError(f"module 'sarkit' has no attribute {name!r}")
