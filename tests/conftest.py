"""Shared fixtures.

The real model files live in ``../shared/data`` beside the checkout (CI has it;
a user's clone may not). Every test that reads them asks for ``shared_data``:
it skips with a reason where the folder is absent, and fails where the
environment variable ``CI`` is set, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]

# property tests draw the same examples on every run: a CI failure reproduces on any machine
settings.register_profile("sarkit", derandomize=True)
settings.load_profile("sarkit")
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder ``../shared/data`` (skip where absent; fail under CI)."""
    if not (SHARED_DATA / "realworld").is_dir():
        message = f"real data folder {SHARED_DATA} is absent"
        if os.environ.get("CI"):
            pytest.fail(f"{message}, and CI must test against it")
        pytest.skip(f"{message} (a user's clone without ../shared)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def realworld(shared_data: Path) -> Path:
    """The folder of real forcing files, ``../shared/data/realworld``."""
    return shared_data / "realworld"
