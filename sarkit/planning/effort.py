"""Optimal continuous allocation of search effort over POC cells (the upper bound of any plan).

For a total effort :math:`Z` (NM² of area swept, :math:`W \\times` track length) spread over
cells with POC :math:`p_j` and area :math:`A_j`, maximise
:math:`\\mathrm{POS} = \\sum_j p_j \\, \\mathrm{POD}(z_j / A_j)` subject to
:math:`\\sum_j z_j = Z, z_j \\ge 0` (Stone 1975, *Theory of Optimal Search*, Ch. II,
Sec. 2.1 "Optimization by the Use of Lagrange Multipliers"). With density
:math:`\\rho_j = p_j / A_j` and level :math:`\\lambda` (the marginal POS per NM² of effort,
equal in every searched cell):

* exponential detection: :math:`z_j = A_j \\max(0, \\ln(\\rho_j / \\lambda))` — "water-filling";
  :math:`\\lambda` in closed form on the sorted prefix of densities, :math:`O(n \\log n)`;
* visual (inverse-cube, erf) detection: :math:`c_j = \\sqrt{(4/\\pi) \\ln(\\rho_j/\\lambda)}`
  for :math:`\\rho_j > \\lambda`; :math:`\\lambda` by a monotone 1-D root search
  (:func:`scipy.optimize.brentq`; `c_j` is the closed-form solution of the KKT condition
  :math:`\\rho_j e^{-\\pi c_j^2/4} = \\lambda`, so no per-cell root finding is needed).

Both detection curves are concave, so the KKT point is the global optimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sarkit.errors import BadValueError
from sarkit.planning.sweep import pod

__all__ = ["DETECTIONS", "EffortAllocation", "optimal_effort"]

DETECTIONS = ("exponential", "visual")
"""Detection curves :func:`optimal_effort` accepts."""


@dataclass(frozen=True)
class EffortAllocation:
    """The optimal effort per cell and what it achieves.

    Attributes
    ----------
    effort_nm2 : numpy.ndarray
        Effort :math:`z_j` per cell (NM² of area swept), the shape of the POC array;
        sums to ``total_effort_nm2``.
    coverage : numpy.ndarray
        :math:`c_j = z_j / A_j` per cell.
    pod : numpy.ndarray
        POD per cell from ``coverage`` by ``detection``.
    pos : float
        Total POS :math:`\\sum_j p_j \\mathrm{POD}_j`: the upper bound for this effort.
    level : float
        :math:`\\lambda`, marginal POS per NM² of effort (POC per NM²); cells with density
        :math:`\\rho_j \\le \\lambda` get no effort. ``nan`` when there is nothing to search.
        It can underflow to 0 for very large coverages; ``log_level`` cannot.
    log_level : float
        :math:`\\ln \\lambda`.
    total_effort_nm2 : float
        :math:`Z`.
    detection : str
        ``"exponential"`` or ``"visual"``.
    """

    effort_nm2: NDArray[np.float64]
    coverage: NDArray[np.float64]
    pod: NDArray[np.float64]
    pos: float
    level: float
    log_level: float
    total_effort_nm2: float
    detection: str

    @property
    def searched(self) -> NDArray[np.bool_]:
        """Cells that get effort."""
        return self.effort_nm2 > 0


def optimal_effort(
    poc: ArrayLike,
    cell_area_nm2: ArrayLike,
    total_effort_nm2: float,
    detection: str = "exponential",
) -> EffortAllocation:
    """Optimal continuous allocation of ``total_effort_nm2`` over POC cells.

    Parameters
    ----------
    poc : array_like
        POC per cell, 1-D or 2-D (e.g. ``PocGrid.poc``), each >= 0, summing to at most 1
        (NaN cells, such as land, are treated as POC 0).
    cell_area_nm2 : float or array_like
        Cell area (NM²), a scalar or an array broadcastable to ``poc``; > 0.
    total_effort_nm2 : float
        Total effort :math:`Z` (NM² of area swept), >= 0.
    detection : {"exponential", "visual"}
        Detection curve: random search :math:`1 - e^{-c}` or the visual inverse-cube law
        :math:`\\operatorname{erf}(\\sqrt\\pi c / 2)`.

    Returns
    -------
    EffortAllocation
        Zero-POC cells get zero effort. When every POC is 0 nothing is searched and ``level``
        is ``nan``.

    Raises
    ------
    BadValueError
        Negative POC, POC summing above 1, a non-positive cell area, a negative or non-finite
        effort, or an unknown detection curve.
    """
    p, area, total = _check(poc, cell_area_nm2, total_effort_nm2, detection)
    rho = p / area
    if total == 0 or not np.any(rho > 0):
        level = float(rho.max()) if np.any(rho > 0) else math.nan
        log_level = math.log(level) if level > 0 else math.nan
        coverage = np.zeros_like(p)
    else:
        gap = _gap(rho)
        if detection == "exponential":
            depth = _depth_exponential(gap.ravel(), area.ravel(), total)
            coverage = np.maximum(depth - gap, 0.0)
        else:
            depth = _depth_visual(gap.ravel(), area.ravel(), total)
            coverage = _coverage_visual(gap, depth)
        log_level = math.log(float(rho.max())) - depth
        level = math.exp(log_level)
    effort = area * coverage
    cell_pod = np.asarray(pod(coverage, detection), dtype=float)
    return EffortAllocation(
        effort_nm2=_frozen(effort),
        coverage=_frozen(coverage),
        pod=_frozen(cell_pod),
        pos=float(np.sum(p * cell_pod)),
        level=level,
        log_level=log_level,
        total_effort_nm2=total,
        detection=detection,
    )


def _frozen(array: NDArray[np.float64]) -> NDArray[np.float64]:
    array = np.array(array, dtype=float)
    array.flags.writeable = False
    return array


def _check(
    poc: ArrayLike, cell_area_nm2: ArrayLike, total_effort_nm2: float, detection: str
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    if detection not in DETECTIONS:
        raise BadValueError(
            f"unknown detection curve {detection!r}", f"use one of: {', '.join(DETECTIONS)}"
        )
    p = np.nan_to_num(np.asarray(poc, dtype=float), nan=0.0)
    if p.ndim not in (1, 2) or p.size == 0:
        raise BadValueError(f"poc must be a non-empty 1-D or 2-D array, got shape {p.shape}")
    if not np.all(np.isfinite(p)) or np.any(p < 0) or p.sum() > 1 + 1e-9:
        raise BadValueError(
            "poc must be finite, >= 0 and sum to at most 1",
            "pass probabilities of containment (e.g. PocGrid.poc)",
        )
    try:
        area = np.broadcast_to(np.asarray(cell_area_nm2, dtype=float), p.shape)
    except ValueError as err:
        raise BadValueError(
            f"cell_area_nm2 of shape {np.shape(cell_area_nm2)} does not fit poc of shape {p.shape}"
        ) from err
    if not np.all(np.isfinite(area)) or np.any(area <= 0):
        raise BadValueError("cell_area_nm2 must be finite and > 0")
    total = float(total_effort_nm2)
    if not math.isfinite(total) or total < 0:
        raise BadValueError(f"total_effort_nm2 must be finite and >= 0, got {total_effort_nm2}")
    return p, area, total


def _gap(rho: NDArray) -> NDArray:
    """:math:`\\ln(\\rho_{max} / \\rho_j)` (``inf`` for empty cells).

    The solvers work with the depth :math:`d = \\ln(\\rho_{max}/\\lambda)`, so that coverage
    :math:`\\ln(\\rho_j/\\lambda) = d - \\mathrm{gap}_j` keeps full precision when it is tiny
    and :math:`\\lambda` cannot underflow.
    """
    with np.errstate(divide="ignore"):
        return np.log(rho.max()) - np.log(rho)


def _depth_exponential(gap: NDArray, area: NDArray, total: float) -> float:
    """:math:`\\ln(\\rho_{max}/\\lambda)` in closed form on the sorted prefix.

    For the top-:math:`k` cells by density the KKT solution's
    :math:`\\ln\\lambda_k = (\\sum_{j \\le k} A_j \\ln\\rho_j - Z) / \\sum_{j \\le k} A_j`
    becomes :math:`d_k = (Z + \\sum_{j \\le k} A_j \\mathrm{gap}_j) / \\sum_{j \\le k} A_j`;
    the active set is the largest :math:`k` with :math:`\\rho_k > \\lambda_k`, i.e.
    :math:`\\mathrm{gap}_k < d_k`. Sorting makes it :math:`O(n \\log n)`.
    """
    keep = np.isfinite(gap)
    order = np.argsort(gap[keep], kind="stable")
    g, a = gap[keep][order], area[keep][order]
    depth = (total + np.cumsum(a * g)) / np.cumsum(a)
    k = int(np.flatnonzero(g < depth)[-1])
    return float(depth[k])


def _coverage_visual(gap: NDArray, depth: float) -> NDArray:
    """:math:`c_j = \\sqrt{(4/\\pi) \\ln(\\rho_j/\\lambda)}` where :math:`\\rho_j > \\lambda`."""
    return np.sqrt(4.0 / math.pi * np.maximum(depth - gap, 0.0))


def _depth_visual(gap: NDArray, area: NDArray, total: float) -> float:
    """:math:`\\ln(\\rho_{max}/\\lambda)` for the erf curve by a monotone root search.

    With depth :math:`u^2` the effort used, :math:`\\sum_j A_j c_j`, rises monotonically and
    smoothly in :math:`u` from 0 at :math:`u = 0` (in the depth itself it would be steep at 0).
    At :math:`u^2 = \\max_j \\mathrm{gap}_j + \\pi (Z/\\sum A)^2/4` every cell has coverage at
    least :math:`Z / \\sum A`, so the effort is at least :math:`Z`: the bracket for
    :func:`scipy.optimize.brentq`.
    """
    keep = np.isfinite(gap)
    gap, area = gap[keep], area[keep]
    u_high = math.sqrt(float(gap.max()) + math.pi / 4.0 * (total / float(area.sum())) ** 2) + 1.0

    def excess(u: float) -> float:
        return float(np.sum(area * _coverage_visual(gap, u * u))) - total

    from scipy.optimize import brentq  # here: scipy.optimize takes 0.2-0.4 s to import, and
    # `sarkit drift` imports the planning package (regions) without planning a search

    u = float(brentq(excess, 0.0, u_high, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500))
    return u * u
