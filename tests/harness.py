"""How the tests drive the project as its users do: the asset graph through ``dagster.materialize``,
the ``film-news`` command in a subprocess, and reads of the DuckDB file they leave.

Helpers shared by several test modules live here (and the invented articles in ``newsroom.py``), so
no test module imports another; ``conftest.py`` has pytest rewrite this module's asserts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
from dagster import materialize

from pipeline.definitions import ALL_ASSETS, ALL_CHECKS, build_resources

from .newsroom import newsroom_weeks

SHARED = Path(__file__).resolve().parents[2] / "shared"

FILM_NEWS = [sys.executable, "-m", "pipeline.cli"]


def film_news(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*FILM_NEWS, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def run(landing: Path, db_path: Path, **config):
    return materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        resources=build_resources(str(db_path), str(landing)),
        run_config={"ops": {"ingest_articles": {"config": config}}} if config else None,
        raise_on_error=False,
    )


def rows(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def write_report(landing: Path, db_path: Path, tmp_path: Path, *extra: str) -> tuple[str, str]:
    newsroom_weeks(landing)
    assert run(landing, db_path).success
    output = tmp_path / "week.html"
    done = film_news("report", "--db", str(db_path), "--output", str(output), *extra)
    assert done.returncode == 0, done.stderr
    return output.read_text(encoding="utf-8"), done.stdout
