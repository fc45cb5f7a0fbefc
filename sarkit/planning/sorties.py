"""Where each asset is, and when it is free, after the searches it flew.

The next period's plan (``sarkit update``) starts from the state the flown plan left: an
asset that searched is not free again at its roster's ready time.

* an **aircraft** (``fixed_wing``, ``helicopter``) flies home from the end of its track at its
  cruise speed and is free again after its turnaround at base (refuel, crew): the roster's
  ``turnaround_h``, else :data:`~sarkit.planning.assets.TURNAROUND_H` of its platform
  (sarkit's stated defaults, not figures from a source);
* a **vessel** stays at sea: it is free where its track ended, at once.

The roster of the next period may only delay an asset (its ready time is the later of the
roster's and this one); an asset that did not search keeps its roster state. Endurance is not
carried over: a vessel's days at sea are far longer than a period, and an aircraft refuels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sarkit.geodesy import WGS84
from sarkit.planning.assets import TURNAROUND_H, Asset, centre_time_zone
from sarkit.planning.regions import area_time_zone
from sarkit.positions import format_position
from sarkit.times import utc_and_local
from sarkit.units import NAUTICAL_MILE

__all__ = ["TURNAROUND_H", "AssetAfter", "FlownEnd", "assets_after"]


@dataclass(frozen=True)
class FlownEnd:
    """The end of one asset's search: when and where its track ended."""

    asset: str
    end: float
    """Epoch seconds UTC."""
    lon: float | None
    """Degrees; None where unknown (then the end of the search is taken at its base)."""
    lat: float | None


@dataclass(frozen=True)
class AssetAfter:
    """An asset as the next period finds it, and why."""

    asset: Asset
    note: str


def assets_after(assets: Sequence[Asset], ends: Iterable[FlownEnd]) -> tuple[AssetAfter, ...]:
    """Each asset's position and ready time after the searches it flew (module notes).

    Parameters
    ----------
    assets : sequence of Asset
        The next period's roster.
    ends : iterable of FlownEnd
        The searches flown (the last of an asset's counts).

    Returns
    -------
    tuple of AssetAfter
        One per asset, in roster order, with a one-line note of what changed.
    """
    last: dict[str, FlownEnd] = {}
    for item in ends:
        if item.asset not in last or item.end > last[item.asset].end:
            last[item.asset] = item
    out = []
    for asset in assets:
        flown = last.get(asset.name)
        if flown is None:
            out.append(AssetAfter(asset, f"{asset.name}: did not search; as in the roster"))
            continue
        platform = asset.type.platform
        if platform == "vessel" and flown.lon is not None and flown.lat is not None:
            ready = max(float(asset.ready), flown.end)
            moved = dataclasses.replace(asset, centre=None, base=(flown.lon, flown.lat),
                                        ready=ready)
            free = utc_and_local(ready, area_time_zone(flown.lon, flown.lat), flown.lon)
            out.append(AssetAfter(moved, f"{asset.name}: stays at sea from the end of its "
                                  f"track ({format_position(flown.lon, flown.lat)}), free "
                                  f"{free}"))
            continue
        home_h = 0.0
        if flown.lon is not None and flown.lat is not None:
            metres = WGS84.inv(flown.lon, flown.lat, asset.lon, asset.lat)[2]
            home_h = metres / NAUTICAL_MILE / asset.cruise
        turnaround = asset.turnaround
        ready = max(float(asset.ready), flown.end + (home_h + turnaround) * 3600.0)
        out.append(AssetAfter(dataclasses.replace(asset, ready=ready),
                              f"{asset.name}: home in {home_h:.1f} h, turnaround "
                              f"{turnaround:g} h, free {utc_and_local(ready, *_home_zone(asset))}"))
    return tuple(out)


def _home_zone(asset: Asset) -> tuple[str | None, float]:
    """The time zone of an asset's home (its centre's) and its base longitude."""
    return centre_time_zone(asset.centre.id if asset.centre else None), asset.lon
