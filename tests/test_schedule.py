"""The nightly chain: the schedule starts the gathering, and everything after it follows by status."""

from __future__ import annotations

import datetime as dt

from dagster import (
    DagsterInstance,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    build_schedule_context,
    evaluate_automation_conditions,
    in_process_executor,
)

from pipeline.definitions import ALL_ASSETS, ALL_CHECKS, SOURCE_ASSETS, build_resources, defs
from pipeline.defs.automation import follow_upstream_sensor
from pipeline.defs.jobs import film_news_job, nightly_schedule, sources_job

from .harness import rows
from .newsroom import HARBOR_LIGHTS, news_page, write


def test_the_nightly_schedule_gathers_and_is_on_by_default():
    assert nightly_schedule.default_status == DefaultScheduleStatus.RUNNING
    assert nightly_schedule.cron_schedule == "0 2 * * *" and nightly_schedule.job_name == "sources_job"
    with DagsterInstance.ephemeral() as instance:
        tick_time = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.timezone.utc)
        tick = nightly_schedule.evaluate_tick(build_schedule_context(instance=instance, scheduled_execution_time=tick_time))
    assert len(tick.run_requests) == 1
    # No partitions anywhere: "Materialize all" in the UI launches without a partition dialog.
    assert all(not asset.partitions_def for asset in defs.assets)


def test_after_gathering_the_whole_graph_follows_in_one_run_and_lands_everything(landing, db_path):
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert follow_upstream_sensor.default_status == DefaultSensorStatus.RUNNING
    resources = build_resources(str(db_path), str(landing))
    project = Definitions(assets=[*SOURCE_ASSETS, *ALL_ASSETS], asset_checks=ALL_CHECKS, jobs=[film_news_job, sources_job],
                          resources=resources, executor=in_process_executor)
    with DagsterInstance.ephemeral() as instance:
        # Before anything is gathered, nothing is requested: a new deployment starts no run by itself.
        quiet = evaluate_automation_conditions(defs=project, instance=instance)
        assert quiet.total_requested == 0
        assert project.resolve_job_def("sources_job").execute_in_process(instance=instance).success

        after_gathering = evaluate_automation_conditions(defs=project, instance=instance, cursor=quiet.cursor)
        every_later_asset = [key for asset in ALL_ASSETS for key in asset.keys]
        assert {key.to_user_string(): after_gathering.get_num_requested(key) for key in every_later_asset} == {
            key.to_user_string(): 1 for key in every_later_asset}

        # The daemon launches what one evaluation requests as one run: the project's job, here in process.
        result = project.resolve_job_def("film_news_job").execute_in_process(instance=instance)
        assert result.success
        materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
        assert {"articles", "entities", "quotes", "title_mentions_daily", "read_snapshot"} <= materialized
        assert rows(db_path, "select count(*) from articles") == [(1,)]

        # Everything is up to date now: the next evaluation asks for nothing.
        settled = evaluate_automation_conditions(defs=project, instance=instance, cursor=after_gathering.cursor)
        assert settled.total_requested == 0
