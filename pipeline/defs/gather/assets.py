"""Gathering news: outlet feeds and sitemaps by day, and WARC archives, into the landing folder."""

import contextlib
import datetime as dt
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from dagster import AssetExecutionContext, Config, MaterializeResult, MetadataValue, asset

from ... import warehouse
from ...core.archive_partitions import (
    extract_archive_partitions, is_current, list_archive_files, read_partition_pages, written_partitions,
)
from ...core.sources import DayResult, gather_days, land_staged_pages, load_sources_config, write_landed_page
from ...dictionary import OWNERS
from ...resources import DaskCluster, DuckDBWarehouse, LandingFolder, NewsSources
from . import store

SOURCES_GROUP = "sources"


class GatherConfig(Config):
    """Which days' links a gathering run takes (UTC calendar days, as feeds and sitemaps date them)."""

    day: str = ""
    """YYYY-MM-DD: gather only links dated that day (a backfill). Empty: the day that just ended and today,
    undated links included, which is what the nightly run wants."""

    def day_range(self, today: dt.date) -> tuple[dt.date, dt.date, bool]:
        """(first day, last day, take undated links)."""
        if not self.day:
            return today - dt.timedelta(days=1), today, True
        try:
            day = dt.date.fromisoformat(self.day)
        except ValueError:
            raise ValueError(f"day {self.day!r} is not a date: write it as YYYY-MM-DD") from None
        return day, day, day >= today


# What both gathering assets are: where they sit in the UI, what they run on, who answers for them.
_GATHERING = {"group_name": SOURCES_GROUP, "kinds": {"python", "duckdb"}, "owners": OWNERS, "tags": {"layer": "sources"}}


# Not partitioned by day: a run takes whatever is new (the URLs already gathered are remembered), so the
# asset graph has no partitions and "Materialize all" in the UI starts at once; a past day is a config value.
@asset(
    name="fetched_pages",
    **_GATHERING,
    description=(
        "New article URLs (by default dated yesterday or today, UTC; set `day` for a past day) from the outlets "
        "in outlets.yaml (feeds and sitemaps), fetched politely (robots.txt, per-host spacing, retries with "
        "backoff, size limits, a deadline per URL, a budget of requests and seconds per outlet; connections go to "
        "the address that was checked), scored for film/TV relevance and, when relevant, stored immutably "
        "under <landing>/<day>/<host>/. Every URL's outcome, relevance decision and score is a row of "
        "internal.fetched_pages. A URL already gathered is never fetched again. The warehouse is locked only "
        "to look up what was gathered and to write the outcome, never while a server answers."
    ),
)
def fetched_pages(context: AssetExecutionContext, config: GatherConfig, warehouse_db: DuckDBWarehouse,
                  landing_folder: LandingFolder, news_sources: NewsSources) -> MaterializeResult:
    first_day, last_day, take_undated = config.day_range(dt.datetime.now(dt.timezone.utc).date())
    sources = load_sources_config(Path(news_sources.outlets_path))
    if not sources.outlets:
        context.log.info(f"no outlets configured in {news_sources.outlets_path}; nothing to fetch")
    landing = Path(landing_folder.path)
    # The warehouse's write lock is taken for the lookups and the final write only, never while a
    # server answers: however slowly outlets answer, a concurrent run waits for no more than that.
    lock_held = [0.0]

    @contextlib.contextmanager
    def warehouse_locked():
        with warehouse_db.connect(for_the_run=False) as con:
            taken = time.monotonic()
            try:
                yield con
            finally:
                lock_held[0] += time.monotonic() - taken

    with warehouse_locked() as con:
        validators = store.feed_validators(con)

    def already_gathered(urls: list[str]) -> set[str]:
        with warehouse_locked() as con:
            return {url for url in urls if store.url_already_gathered(con, url)}

    landing.mkdir(parents=True, exist_ok=True)
    # Hidden, so ingest does not list a page before its record (its URL and outlet) is written.
    staging = Path(tempfile.mkdtemp(prefix=".gathering-", dir=landing))
    try:
        started = time.monotonic()
        result = gather_days(sources, first_day, last_day, landing, already_gathered=already_gathered,
                             take_undated=take_undated, validators=validators, staging=staging)
        gathering_seconds = time.monotonic() - started
        recorded_at = warehouse.utc_now()
        with warehouse_locked() as con, warehouse.transaction(con):
            land_staged_pages(staging, landing)
            store.record_fetched_pages(con, result.records, recorded_at)
            store.record_feed_validators(con, result.validators, recorded_at)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for error in result.feed_errors:
        context.log.warning(error)
    counts = Counter(record.status for record in result.records)
    return MaterializeResult(metadata={
        **{f"pages_{status}": MetadataValue.int(n) for status, n in counts.items()},
        "requests": MetadataValue.int(result.requests),
        "feeds_not_modified": MetadataValue.int(result.feeds_not_modified),
        "feed_errors": MetadataValue.md("\n".join(f"- {e}" for e in result.feed_errors) or "_none_"),
        "days": MetadataValue.text(f"{first_day} to {last_day}"),
        "gathering_seconds": MetadataValue.float(round(gathering_seconds, 2)),
        "warehouse_lock_seconds": MetadataValue.float(round(lock_held[0], 3)),
        "outlets": MetadataValue.int(len(result.outlets)),
        "outlets_failed": MetadataValue.int(sum(outcome.failed for outcome in result.outlets)),
        "outcome": MetadataValue.text(describe_outlets(result)),
    })


def describe_outlets(result: DayResult) -> str:
    """What each outlet gave, one sentence a line: what landed, or why nothing could be read."""
    lines = []
    for outcome in result.outlets:
        if outcome.failed:
            reasons = "; ".join(outcome.source_errors)
            lines.append(f"{outcome.name}: nothing gathered, no feed or sitemap could be read ({reasons}).")
            continue
        pages = outcome.pages
        said = [f"{pages['landed']} page(s) landed", f"{pages['filtered_out']} filtered out as not about film or TV",
                f"{pages['rejected']} rejected"]
        line = f"{outcome.name}: {', '.join(said)}, in {outcome.requests} request(s)."
        if outcome.source_errors:
            line += f" {len(outcome.source_errors)} feed(s) or sitemap(s) could not be read: {'; '.join(outcome.source_errors)}."
        if outcome.links_left:
            line += f" {outcome.links_left} link(s) were left for the next run (a limit of the run was reached)."
        lines.append(line)
    return "\n".join(lines)


@asset(
    name="archive_pages",
    **_GATHERING,
    description=(
        "Relevant HTML pages from the WARC archives (e.g. CC-NEWS) in the archive folder. Each archive is one "
        "partition, read by one task (on Dask's workers when several archives are new, or when a cluster is "
        "configured): streamed record by record with bounded memory, every page extracted within its time budget and "
        "filtered for film/TV, the result written as Parquet under the partitions folder. The partitions not yet "
        "landed then land in one transaction, keyed by partition: the kept pages into the landing folder, every "
        "page's outcome into internal.fetched_pages. Each archive is read once (a changed file is read again)."
    ),
)
def archive_pages(context: AssetExecutionContext, warehouse_db: DuckDBWarehouse, landing_folder: LandingFolder,
                  news_sources: NewsSources, dask_cluster: DaskCluster) -> MaterializeResult:
    archives = list_archive_files(Path(news_sources.warc_folder))
    with warehouse_db.connect(for_the_run=False) as con:
        landed = store.archives_landed(con)
    written = written_partitions(news_sources.partitions_path)
    # New: an archive never landed, or whose partition was read again (a partition run) since it landed.
    new = [archive for archive in archives if (archive.path, archive.size, archive.mtime_ns) not in landed
           or written_after(written.get(archive.key), landed[(archive.path, archive.size, archive.mtime_ns)])]
    # A partition written already (by a partition run, or a run that stopped before landing it) is not read again.
    unread = [archive for archive in new if not is_current(written.get(archive.key), archive)]
    started = time.monotonic()
    with dask_cluster.client_for(len(unread)) as client:
        for manifest in extract_archive_partitions(unread, news_sources.partitions_path, client):
            written[manifest["key"]] = manifest
    reading_seconds = time.monotonic() - started
    totals = land_archive_partitions(warehouse_db, landing_folder, news_sources,
                                     [written[a.key] for a in new if is_current(written.get(a.key), a)])
    for line in totals.pop("lines"):
        context.log.info(line)
    errors = totals.pop("errors")
    for error in errors:
        context.log.warning(error)
    return MaterializeResult(metadata={**{k: MetadataValue.int(v) for k, v in totals.items()},
                                       "archive_errors": MetadataValue.md("\n".join(f"- {e}" for e in errors) or "_none_"),
                                       "archives_read_here": MetadataValue.int(len(unread)),
                                       "reading_seconds": MetadataValue.float(round(reading_seconds, 2))})


def written_after(manifest: dict | None, landed_at) -> bool:
    """The partition was written after it landed (to the second: the warehouse keeps whole seconds)."""
    if not manifest:
        return False
    written_at = dt.datetime.fromisoformat(manifest["written_at"]).astimezone(dt.timezone.utc).replace(tzinfo=None)
    return written_at.replace(microsecond=0) > landed_at


def land_archive_partitions(warehouse_db: DuckDBWarehouse, landing_folder: LandingFolder, news_sources: NewsSources,
                            manifests: list[dict]) -> dict:
    """The merge step: written partitions into the warehouse and the landing folder, in one transaction."""
    landing = Path(landing_folder.path)
    totals = {"archives_read": 0, "pages_kept": 0, "pages_seen": 0, "pages_landed": 0, "lines": [], "errors": []}
    if not manifests:
        return totals
    landing.mkdir(parents=True, exist_ok=True)
    # Hidden, so ingest does not list a page before its record (its URL and archive) is committed.
    staging = Path(tempfile.mkdtemp(prefix=".archives-", dir=landing))
    try:
        recorded_at = warehouse.utc_now()
        with warehouse_db.connect(for_the_run=False) as con, warehouse.transaction(con):
            for manifest in sorted(manifests, key=lambda m: m["key"]):
                pages = read_partition_pages(news_sources.partitions_path, manifest["key"])
                landed = store.land_archive_partition(
                    con, manifest, pages, recorded_at,
                    lambda relative_path, html: write_landed_page(landing, relative_path, html, staging))
                totals["archives_read"] += 1
                totals["pages_kept"] += manifest["pages_kept"]
                totals["pages_seen"] += manifest["pages_seen"]
                totals["pages_landed"] += landed
                totals["lines"].append(f"{manifest['key']}: kept {manifest['pages_kept']} of {manifest['pages_seen']} "
                                       f"HTML pages, {landed} new")
                if manifest.get("error"):
                    totals["errors"].append(f"{manifest['key']}: {manifest['error']}")
            land_staged_pages(staging, landing)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return totals

