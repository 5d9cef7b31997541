"""Runs started at the same time: two commands on a fresh checkout, a manual run beside the nightly one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster import materialize

from pipeline.defs.gather.assets import fetched_pages
from pipeline.definitions import ALL_ASSETS, ALL_CHECKS, build_resources
from pipeline.resources import DuckDBWarehouse, NewsSources

from .harness import FILM_NEWS, rows
from .newsroom import HARBOR_LIGHTS, news_page, write

EXIT_TRY_AGAIN_LATER = 75


def hold_the_warehouse(db_path: Path, who: str) -> subprocess.Popen:
    """Another process holding the warehouse as a run does, until its stdin closes."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom pipeline import warehouse\n"
         f"with warehouse.holding_the_run_lock({str(db_path)!r}, 0, {who!r}):\n"
         "    print('held', flush=True)\n    sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def release(holder: subprocess.Popen) -> None:
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0


def test_two_commands_started_together_on_a_fresh_checkout_both_run(tmp_path):
    # Both find no Dagster storage and create it: one at a time, or the second fails on the first's tables.
    home = tmp_path / "fresh" / ".dagster_home"
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    commands = []
    for name in ("first", "second"):
        write(tmp_path / name, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
        commands.append(subprocess.Popen(
            [*FILM_NEWS, "run", "--input", str(tmp_path / name), "--db", str(tmp_path / f"{name}.duckdb")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    for command in commands:
        out, errors = command.communicate(timeout=300)
        assert command.returncode == 0, errors
        assert "Traceback" not in errors and "1 articles landed" in out
    # The project's settings: nothing sent anywhere (no telemetry), one queued UI run at a time.
    settings = (home / "dagster.yaml").read_text()
    assert "enabled: false" in settings and "max_concurrent_runs: 1" in settings
    listed = subprocess.run(
        [sys.executable, "-c", "from dagster import DagsterInstance; print(len(DagsterInstance.get().get_runs()))"],
        capture_output=True, text=True, env=env, timeout=120)
    assert listed.stdout.strip() == "2", listed.stderr


def test_a_run_of_a_database_another_run_holds_waits_for_it_or_gives_up_changing_nothing(landing, db_path):
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    holder = hold_the_warehouse(db_path, "film-news run, process 4242, started 2026-12-03 02:00:00 UTC")
    try:
        impatient = subprocess.run([*FILM_NEWS, "run", "--input", str(landing), "--db", str(db_path), "--wait", "0"],
                                   capture_output=True, text=True, timeout=300)
        assert impatient.returncode == EXIT_TRY_AGAIN_LATER
        assert "held by another run (film-news run, process 4242" in impatient.stderr
        assert "changed nothing" in impatient.stderr and "Traceback" not in impatient.stderr
        assert not db_path.exists()

        patient = subprocess.Popen([*FILM_NEWS, "run", "--input", str(landing), "--db", str(db_path)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said = patient.stderr.readline()
        assert "waiting for another run of" in said and "process 4242" in said
        assert patient.poll() is None and not db_path.exists()
    finally:
        release(holder)
    out, errors = patient.communicate(timeout=300)
    assert patient.returncode == 0, errors
    assert "1 articles landed" in out
    assert rows(db_path, "select count(*) from articles") == [(1,)]


def test_a_run_started_from_dagster_waits_for_the_warehouse_but_gathering_does_not(landing, db_path, tmp_path):
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    resources = build_resources(str(db_path), str(landing))
    resources["warehouse_db"] = DuckDBWarehouse(database_path=str(db_path), run_wait_seconds=0)
    holder = hold_the_warehouse(db_path, "Dagster run 1a2b3c4d of film_news_job, process 4242")
    try:
        blocked = materialize([*ALL_ASSETS, *ALL_CHECKS], resources=resources, raise_on_error=False)
        assert not blocked.success
        failure = next(event for event in blocked.all_events if event.is_failure)
        assert "held by another run (Dagster run 1a2b3c4d" in str(failure.event_specific_data)
        assert not db_path.exists()
    finally:
        release(holder)

    # A gathering run (here with no outlets configured) does not wait for the file: it holds it only to
    # look up and record what it gathered, so it runs beside a run that holds it.
    outlets = tmp_path / "outlets.yaml"
    outlets.write_text("outlets: []\n")
    resources["news_sources"] = NewsSources(outlets_path=str(outlets), warc_folder=str(tmp_path / "warc"))
    holder = hold_the_warehouse(db_path, "Dagster run 1a2b3c4d of film_news_job, process 4242")
    try:
        assert materialize([fetched_pages], resources=resources, raise_on_error=False).success
    finally:
        release(holder)
