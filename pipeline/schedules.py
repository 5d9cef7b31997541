"""The nightly run of the whole graph, and the sensor that notices new files."""


import hashlib

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    build_schedule_from_partitioned_job,
    define_asset_job,
    sensor,
)

from .resources import LandingFolder

from .assets.sources import SOURCES_GROUP, daily_partitions

# Every asset but the daily-partitioned gathering, with their checks: the same graph the UI materializes.
film_news_job = define_asset_job(
    "film_news_job",
    selection=AssetSelection.all() - AssetSelection.groups(SOURCES_GROUP),
    description="Ingest new and changed files from the landing folder and rebuild everything downstream.",
)

# 03:00 UTC: after the US trades' evening posts and before European mornings.
# Schedules start stopped unless told otherwise; the nightly run should not
# depend on someone remembering to switch it on.
nightly_schedule = ScheduleDefinition(
    name="nightly_film_news",
    job=film_news_job,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Nightly run of the whole film-news graph on the landing folder.",
)


# Gathering one day: outlet feeds and sitemaps (a daily partition) and new WARC archives.
sources_job = define_asset_job(
    "sources_job",
    selection=AssetSelection.groups(SOURCES_GROUP),
    partitions_def=daily_partitions,
    description="Fetch one day of new articles from the configured outlets, and read new WARC archives.",
)

# 02:00 UTC, an hour before the nightly run, for the day that just ended; on by default like the nightly run.
nightly_sources_schedule = build_schedule_from_partitioned_job(
    sources_job, hour_of_day=2, minute_of_hour=0, default_status=DefaultScheduleStatus.RUNNING,
    name="nightly_sources",
)


def landing_folder_fingerprint(landing_folder: LandingFolder) -> tuple[str, int]:
    """A digest of every file's path, size and modification time, and the file count."""
    digest = hashlib.sha256()
    files = landing_folder.list_files()
    for f in files:
        digest.update(f"{f.relative_path}\0{f.size}\0{f.mtime_ns}\n".encode("utf-8"))
    return digest.hexdigest()[:32], len(files)


# Stopped by default: with it on, every file dropped in starts a run, which a
# user running the command line at the same time may not expect (DuckDB allows
# one writer). Switch it on in the UI for near-real-time ingest.
@sensor(
    job=film_news_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.STOPPED,
    description="Starts a run when files in the landing folder are added or changed.",
)
def landing_folder_sensor(context: SensorEvaluationContext, landing_folder: LandingFolder):
    fingerprint, count = landing_folder_fingerprint(landing_folder)
    if context.cursor == fingerprint:
        return SkipReason(f"no new or changed files among {count} in {landing_folder.path}")
    context.update_cursor(fingerprint)
    return RunRequest(run_key=f"landing-{fingerprint}", tags={"film_news/trigger": "landing_folder"})
