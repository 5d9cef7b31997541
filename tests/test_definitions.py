"""The code location the UI, the daemon and the nightly schedule load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster import AssetKey, DefaultScheduleStatus, DefaultSensorStatus, Definitions, build_sensor_context, DagsterInstance

from pipeline.definitions import build_resources, defs
from pipeline.resources import LandingFolder
from pipeline.schedules import landing_folder_sensor, nightly_schedule

from .newsroom import HARBOR_LIGHTS, news_page, write

PROJECT = Path(__file__).resolve().parents[1]


def test_definitions_load_with_assets_groups_kinds_and_descriptions():
    Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    for key in (AssetKey("articles"), AssetKey("rejected_documents")):
        node = graph.get(key)
        assert node.group_name == "ingest"
        assert "duckdb" in node.kinds
        assert node.description
    check_names = {key.name for key in graph.asset_check_keys}
    assert {"articles_match_schema", "rejected_documents_match_schema", "articles_have_no_orphans",
            "every_file_accounted_for"} <= check_names


def test_workspace_yaml_loads_the_code_location():
    # The same loader `dagster dev -w workspace.yaml` uses, in a fresh interpreter.
    done = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", str(PROJECT / "workspace.yaml")],
        capture_output=True, text=True, cwd=PROJECT, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_nightly_schedule_runs_the_whole_graph_and_is_on_by_default():
    assert nightly_schedule.default_status == DefaultScheduleStatus.RUNNING
    assert nightly_schedule.cron_schedule == "0 3 * * *"
    job = defs.resolve_job_def(nightly_schedule.job_name)
    assert {AssetKey("articles"), AssetKey("rejected_documents")} <= set(job.asset_layer.executable_asset_keys)


def test_sensor_requests_a_run_for_new_files_once(landing):
    assert landing_folder_sensor.default_status == DefaultSensorStatus.STOPPED
    write(landing, "harbor.html", news_page("Harbor Lights", HARBOR_LIGHTS))
    resources = {"landing_folder": LandingFolder(path=str(landing))}
    with DagsterInstance.ephemeral() as instance:
        first = landing_folder_sensor(build_sensor_context(instance=instance, resources=resources))
        assert first.run_key.startswith("landing-")
        cursor = first.run_key.removeprefix("landing-")
        unchanged = landing_folder_sensor(build_sensor_context(instance=instance, cursor=cursor, resources=resources))
        assert not hasattr(unchanged, "run_key")
        write(landing, "second.txt", " date 2026-10-09 " + " ".join(HARBOR_LIGHTS))
        again = landing_folder_sensor(build_sensor_context(instance=instance, cursor=cursor, resources=resources))
        assert again.run_key != first.run_key


def test_resources_default_to_the_project_data_folder(monkeypatch):
    monkeypatch.delenv("FILM_NEWS_DB", raising=False)
    monkeypatch.delenv("FILM_NEWS_LANDING", raising=False)
    resources = build_resources()
    assert Path(resources["warehouse_db"].database_path) == PROJECT / "data" / "film_news.duckdb"
    assert Path(resources["landing_folder"].path) == PROJECT / "data" / "raw"
    monkeypatch.setenv("FILM_NEWS_DB", "/srv/news.duckdb")
    # Set, it is Dagster's EnvVar: resolved when a run starts, shown as its source in the UI.
    from dagster import EnvVar

    configured = build_resources()["warehouse_db"].database_path
    assert isinstance(configured, EnvVar) and configured.get_value() == "/srv/news.duckdb"
