"""sarkit: maritime search-and-rescue drift and search planning for rescue coordination centres.

The public API is re-exported here. Importing sarkit compiles nothing and does
not import matplotlib.
"""

from sarkit.errors import SarkitError
from sarkit.forcing import ConstantSource, ForcingGrid, Quantity, describe, open_forcing

__version__ = "0.1.0"

__all__ = [
    "ConstantSource",
    "ForcingGrid",
    "Quantity",
    "SarkitError",
    "__version__",
    "describe",
    "open_forcing",
]
