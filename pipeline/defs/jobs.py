"""The project's two jobs, the nightly schedule (gathering; the rest follows it, see automation.py),
and the sensor that notices new files in the landing folder."""


import hashlib

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    sensor,
)

from ..resources import LandingFolder
from .gather.assets import SOURCES_GROUP

# Every asset but the gathering, with their checks: what `film-news run` and the landing-folder sensor run.
film_news_job = define_asset_job(
    "film_news_job",
    selection=AssetSelection.all() - AssetSelection.groups(SOURCES_GROUP),
    description="Ingest new and changed files from the landing folder and rebuild everything downstream.",
)

# Gathering: outlet feeds and sitemaps (yesterday's and today's links) and new WARC archives.
sources_job = define_asset_job(
    "sources_job",
    selection=AssetSelection.groups(SOURCES_GROUP),
    description="Fetch new articles from the configured outlets, and read new WARC archives, into the landing folder.",
)

# The one clock. 02:00 UTC: after the US trades' evening posts and before European mornings. Everything
# after gathering follows it by status (automation.py), not at a fixed later hour, so a slow
# gathering never races the ingest. On by default: the nightly run should not depend on someone
# remembering to switch it on.
nightly_schedule = ScheduleDefinition(
    name="nightly_film_news",
    job=sources_job,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Nightly gathering from outlets and archives; ingest and everything downstream follow it.",
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
