from __future__ import annotations

from pathlib import Path

import pytest

# pytest explains a failed assert only in test modules and conftest unless told: the shared helpers'
# asserts (a run that failed, a command's exit code) should say what failed as a test's do.
pytest.register_assert_rewrite("tests.harness")


@pytest.fixture(scope="session", autouse=True)
def isolated_dagster_home(tmp_path_factory: pytest.TempPathFactory):
    """Tests record their runs in a Dagster instance of their own, never in the user's.

    `make` exports DAGSTER_HOME for the project's instance; runs started by the
    tests (and the subprocesses they spawn) must not fill its run history.
    """
    import os

    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = previous


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "film_news.duckdb"
