"""Optimal effort allocation: closed forms, brute force, KKT conditions."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.special import erf

from sarkit.errors import BadValueError
from sarkit.planning import optimal_effort


def _pos(z: np.ndarray, p: np.ndarray, a: np.ndarray, detection: str) -> float:
    c = np.asarray(z) / a
    if detection == "exponential":
        return float(np.sum(p * (1 - np.exp(-c))))
    return float(np.sum(p * erf(math.sqrt(math.pi) / 2 * c)))


def test_two_cells_by_hand() -> None:
    # p = (0.6, 0.4), A = 1, Z = 1. Both searched: ln λ = (ln 0.6 + ln 0.4 - 1) / 2,
    # λ = sqrt(0.24) e^-0.5 = 0.29713 < 0.4. z1 = ln(0.6/λ), z2 = ln(0.4/λ):
    # z1 - z2 = ln 1.5 and z1 + z2 = 1 -> z1 = (1 + ln 1.5)/2 = 0.70273, z2 = 0.29727.
    # After the search both cells hold density λ, so POS = 1 - 2λ = 0.40574.
    plan = optimal_effort([0.6, 0.4], 1.0, 1.0)
    lam = math.sqrt(0.24) * math.exp(-0.5)
    assert plan.level == pytest.approx(lam, rel=1e-12)
    np.testing.assert_allclose(plan.effort_nm2, [(1 + math.log(1.5)) / 2, (1 - math.log(1.5)) / 2])
    assert plan.pos == pytest.approx(1 - 2 * lam, rel=1e-12)
    np.testing.assert_allclose(plan.pod, 1 - np.exp(-plan.coverage))


def test_small_effort_goes_to_the_densest_cell_only() -> None:
    # p = (0.6, 0.4), A = 1, Z = 0.2 < ln 1.5: only cell 1, z1 = 0.2, λ = 0.6 e^-0.2.
    plan = optimal_effort([0.6, 0.4], 1.0, 0.2)
    np.testing.assert_allclose(plan.effort_nm2, [0.2, 0.0], atol=1e-15)
    assert plan.level == pytest.approx(0.6 * math.exp(-0.2))
    assert plan.searched.tolist() == [True, False]


@pytest.mark.parametrize("detection", ["exponential", "visual"])
@pytest.mark.parametrize(
    ("poc", "area", "total"),
    [
        ([0.5, 0.3, 0.2], [1.0, 1.0, 1.0], 2.0),
        ([0.1, 0.6, 0.25], [2.0, 3.0, 0.5], 4.0),
        ([0.4, 0.3, 0.2, 0.1], [1.0, 2.0, 1.5, 0.5], 1.5),
        ([0.05, 0.05, 0.7, 0.2], [1.0, 1.0, 4.0, 1.0], 10.0),
    ],
)
def test_equals_brute_force_optimum(
    poc: list[float], area: list[float], total: float, detection: str
) -> None:
    p, a = np.array(poc), np.array(area)
    plan = optimal_effort(p, a, total, detection)
    best = -math.inf
    n = len(p)
    for start in itertools.chain([np.full(n, total / n)], np.eye(n) * total):
        result = minimize(
            lambda z: -_pos(z, p, a, detection),
            start,
            method="SLSQP",
            bounds=[(0, total)] * n,
            constraints=[{"type": "eq", "fun": lambda z: np.sum(z) - total}],
            options={"ftol": 1e-14, "maxiter": 1000},
        )
        best = max(best, -result.fun)
    assert plan.pos >= best - 1e-9
    assert plan.pos == pytest.approx(best, abs=1e-7)
    assert plan.pos == pytest.approx(_pos(plan.effort_nm2, p, a, detection), abs=1e-12)


@pytest.mark.parametrize("detection", ["exponential", "visual"])
def test_equals_grid_search_on_three_cells(detection: str) -> None:
    p, a, total = np.array([0.45, 0.35, 0.2]), np.array([1.0, 2.0, 1.0]), 3.0
    steps = np.linspace(0, total, 601)
    z1, z2 = np.meshgrid(steps, steps, indexing="ij")
    z3 = total - z1 - z2
    ok = z3 >= -1e-12
    z = np.stack([z1[ok], z2[ok], np.maximum(z3[ok], 0)], axis=-1)
    c = z / a
    curve = 1 - np.exp(-c) if detection == "exponential" else erf(math.sqrt(math.pi) / 2 * c)
    grid = (curve * p).sum(axis=1)
    plan = optimal_effort(p, a, total, detection)
    assert plan.pos >= grid.max() - 1e-12
    assert plan.pos == pytest.approx(grid.max(), abs=1e-5)
    np.testing.assert_allclose(plan.effort_nm2, z[np.argmax(grid)], atol=0.02)


@pytest.mark.parametrize("detection", ["exponential", "visual"])
def test_effort_conserved_pos_monotone_and_bounded(detection: str) -> None:
    rng = np.random.default_rng(1)
    p = rng.random((6, 7))
    p[0, :3] = 0
    p /= p.sum() / 0.9
    area = rng.uniform(0.5, 2.0, p.shape)
    last_pos, last_effort = 0.0, np.zeros_like(p)
    for total in [0.0, 0.5, 2.0, 10.0, 50.0, 400.0]:
        plan = optimal_effort(p, area, total, detection)
        assert plan.effort_nm2.shape == p.shape
        assert plan.effort_nm2.sum() == pytest.approx(total, rel=1e-10, abs=1e-12)
        assert np.all(plan.effort_nm2[0, :3] == 0)
        assert plan.pos >= last_pos - 1e-12
        assert plan.pos <= p.sum() + 1e-12
        # Uniformly optimal: the plan for more effort contains the one for less.
        assert np.all(plan.effort_nm2 >= last_effort - 1e-9)
        last_pos, last_effort = plan.pos, plan.effort_nm2
    assert last_pos > 0.89


def test_circular_normal_matches_closed_form() -> None:
    # IAMSAR.md §1.10: circular normal (σ = 1), exponential detection, Z_r = 4:
    # R = (4 Z_r / π)^(1/4) = 1.5045, u = R²/2, POS = 1 - (1 + u) e^-u = 0.3100.
    h = 0.02
    x = np.arange(-6 + h / 2, 6, h)
    xx, yy = np.meshgrid(x, x)
    p = np.exp(-(xx**2 + yy**2) / 2) / (2 * math.pi) * h * h
    plan = optimal_effort(p, h * h, 4.0)
    u = math.sqrt(4 * 4 / math.pi) / 2
    assert plan.pos == pytest.approx(1 - (1 + u) * math.exp(-u), abs=1e-4)
    assert round(plan.pos, 2) == 0.31
    radius = np.sqrt(xx**2 + yy**2)[plan.searched].max()
    assert radius == pytest.approx((4 * 4 / math.pi) ** 0.25, abs=2 * h)


def test_shapes_scalars_and_nan() -> None:
    poc = np.array([[0.5, np.nan], [0.3, 0.2]])
    plan = optimal_effort(poc, 2.0, 3.0)
    assert plan.effort_nm2.shape == (2, 2)
    assert plan.effort_nm2[0, 1] == 0
    assert not plan.effort_nm2.flags.writeable
    zero = optimal_effort([0.5, 0.5], 1.0, 0.0)
    assert zero.pos == 0 and np.all(zero.effort_nm2 == 0)
    nothing = optimal_effort([0.0, 0.0], 1.0, 5.0, "visual")
    assert nothing.pos == 0 and math.isnan(nothing.level)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([-0.1, 0.5], 1.0, 1.0), "poc"),
        (([0.7, 0.5], 1.0, 1.0), "sum to at most 1"),
        (([0.5, 0.5], [1.0, 0.0], 1.0), "cell_area_nm2"),
        (([0.5, 0.5], [1.0, 1.0, 1.0], 1.0), "does not fit"),
        (([0.5, 0.5], 1.0, -1.0), "total_effort_nm2"),
        (([0.5, 0.5], 1.0, 1.0, "ideal"), "Fix:"),
        ((np.zeros((2, 2, 2)), 1.0, 1.0), "1-D or 2-D"),
    ],
)
def test_bad_input(args: tuple, match: str) -> None:
    with pytest.raises(BadValueError, match=match):
        optimal_effort(*args)


cells = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0, 1), min_size=n, max_size=n).filter(lambda v: sum(v) > 1e-3),
        st.lists(st.floats(0.1, 10), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(cells, st.floats(1e-3, 200), st.sampled_from(["exponential", "visual"]))
def test_kkt_optimality(
    cells: tuple[list[float], list[float]], total: float, detection: str
) -> None:
    raw, area = np.array(cells[0]), np.array(cells[1])
    p = raw / raw.sum()
    plan = optimal_effort(p, area, total, detection)
    assert plan.effort_nm2.sum() == pytest.approx(total, rel=1e-9)
    assert np.all(plan.effort_nm2 >= 0)
    rho, log_lam, c = p / area, plan.log_level, plan.coverage
    assert plan.level == pytest.approx(math.exp(log_lam))
    # Marginal POS per unit effort, rho * POD'(c), in logs: equal to λ where searched,
    # at most λ elsewhere.
    with np.errstate(divide="ignore"):
        log_rho = np.log(rho)
    log_marginal = log_rho - (c if detection == "exponential" else math.pi * c**2 / 4)
    on = plan.searched
    assert on.any()
    np.testing.assert_allclose(log_marginal[on], log_lam, rtol=1e-9, atol=1e-8)
    assert np.all(log_rho[~on] <= log_lam + 1e-9)
    assert plan.pos <= 1 + 1e-12
