"""The nightly schedule: on by default, and its tick materializes the whole graph."""

from __future__ import annotations

import datetime as dt

from dagster import DagsterInstance, Definitions, build_schedule_context, in_process_executor

from pipeline.definitions import ALL_ASSETS, ALL_CHECKS, build_resources
from pipeline.schedules import film_news_job, nightly_schedule

from .newsroom import HARBOR_LIGHTS, news_page, write
from .test_assets import rows


def test_nightly_tick_requests_the_job_and_the_run_lands_everything(landing, db_path):
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    defs = Definitions(assets=ALL_ASSETS, asset_checks=ALL_CHECKS, jobs=[film_news_job], schedules=[nightly_schedule],
                       resources=build_resources(str(db_path), str(landing)), executor=in_process_executor)
    with DagsterInstance.ephemeral() as instance:
        tick_time = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.timezone.utc)
        context = build_schedule_context(instance=instance, scheduled_execution_time=tick_time)
        tick = nightly_schedule.evaluate_tick(context)
        assert len(tick.run_requests) == 1
        request = tick.run_requests[0]
        job = defs.resolve_job_def(nightly_schedule.job_name)
        result = job.execute_in_process(run_config=request.run_config, instance=instance, tags=request.tags)
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"articles", "entities", "quotes", "title_mentions_daily", "read_snapshot"} <= materialized
    assert rows(db_path, "select count(*) from articles") == [(1,)]


def test_nightly_sources_schedule_gathers_the_day_that_just_ended():
    from dagster import DefaultScheduleStatus

    from pipeline.schedules import nightly_sources_schedule

    assert nightly_sources_schedule.default_status == DefaultScheduleStatus.RUNNING
    with DagsterInstance.ephemeral() as instance:
        tick_time = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.timezone.utc)
        context = build_schedule_context(instance=instance, scheduled_execution_time=tick_time)
        tick = nightly_sources_schedule.evaluate_tick(context)
    assert [r.partition_key for r in tick.run_requests] == ["2026-11-24"]
