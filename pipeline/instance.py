"""The project's Dagster instance: the one `film-news run`, `make run` and `make ui` record runs in.

DAGSTER_HOME names it, else the project's ``.dagster_home``. A fresh home gets the project's settings
(no telemetry: nothing leaves the machine; one queued run at a time, since DuckDB has one writer) and
its storage is created by one process at a time: two commands started together on a fresh checkout
otherwise both create the SQLite tables, and the second fails with "table alembic_version already
exists" before its run even starts.

    python -m pipeline.instance     prepare the instance (what `make run` and `make ui` do first)
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock

# Written only where the home has no dagster.yaml: a user's own instance settings are theirs.
PROJECT_INSTANCE_SETTINGS = """\
telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
"""


def dagster_home() -> Path:
    from .resources import PROJECT_ROOT

    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_home")


def prepare_instance():
    """The instance of DAGSTER_HOME (else the project's), its folder, settings and storage created if
    missing, by one process at a time; DAGSTER_HOME is set to it for Dagster and for child processes."""
    from dagster import DagsterInstance

    home = dagster_home().resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    with FileLock(home / ".film-news-setup.lock"):
        settings = home / "dagster.yaml"
        if not settings.exists():
            staged = home / ".dagster.yaml.new"
            staged.write_text(PROJECT_INSTANCE_SETTINGS)
            staged.replace(settings)
        instance = DagsterInstance.get()
        # Each storage creates its tables when first opened (the event log's index in its constructor):
        # opened here, under the lock, reading nothing more than one run.
        instance.get_runs(limit=1)
        instance.event_log_storage
        instance.schedule_storage
    return instance


if __name__ == "__main__":
    prepare_instance()
