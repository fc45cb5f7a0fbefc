"""Write the SYNTHETIC Andaman Sea sample forcing files bundled in ``data/``.

Run from the repository root (with sarkit installed, or ``PYTHONPATH=.``)::

    python data/make_samples.py

It writes ``andaman_synthetic_currents.nc`` and ``andaman_synthetic_winds.nc`` next
to this script: :func:`sarkit.forcing.synthetic.andaman_sample` for each kind, as
float32 with zlib compression (level 4). Each file is written to a temporary name
first and then renamed, so a failed run never leaves a half-written file. The
fields are analytic and SYNTHETIC, not for operational use.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_sample(kind: str, directory: Path) -> Path:
    """Write the bundled sample of ``kind`` ("current" or "wind") into ``directory``."""
    from sarkit.forcing.synthetic import SAMPLE_FILES, andaman_sample

    dataset = andaman_sample(kind)
    encoding = {
        name: {"zlib": True, "complevel": 4, "dtype": "float32"} for name in dataset.data_vars
    }
    target = directory / SAMPLE_FILES[kind]
    partial = target.with_name(target.name + ".part")
    try:
        dataset.to_netcdf(partial, encoding=encoding)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def main() -> int:
    """Write both sample files and print their names and sizes."""
    # Let the script run from a plain checkout without installing sarkit.
    sys.path.insert(0, str(HERE.parent))
    for kind in ("current", "wind"):
        path = write_sample(kind, HERE)
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
