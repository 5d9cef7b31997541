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
from ...core.sources import DayResult, gather_archive, gather_days, land_staged_pages, load_sources_config
from ...dictionary import OWNERS
from ...resources import DuckDBWarehouse, LandingFolder, NewsSources
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
        with warehouse_db.connect() as con:
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
        "Relevant HTML pages from the WARC archives (e.g. CC-NEWS) in the archive folder, streamed record by record "
        "with bounded memory, filtered for film/TV before any expensive stage, and stored like fetched pages. "
        "Each archive is read once (a changed file is read again)."
    ),
)
def archive_pages(context: AssetExecutionContext, warehouse_db: DuckDBWarehouse, landing_folder: LandingFolder,
                  news_sources: NewsSources) -> MaterializeResult:
    folder = Path(news_sources.warc_folder)
    archives = sorted(folder.glob("*.warc.gz")) + sorted(folder.glob("*.warc")) if folder.is_dir() else []
    totals = {"archives_read": 0, "pages_kept": 0, "pages_seen": 0}
    with warehouse_db.connect() as con:
        for archive in archives:
            stat = archive.stat()
            done = con.execute("select count(*) from internal.processed_archives where path = ? and size = ? and mtime_ns = ?",
                               [str(archive), stat.st_size, stat.st_mtime_ns]).fetchall()[0][0]
            if done:
                continue
            records, batch = [], []
            recorded_at = warehouse.utc_now()
            with warehouse.transaction(con):
                for record in gather_archive(archive, Path(landing_folder.path),
                                             lambda url: store.url_already_gathered(con, url)):
                    records.append(record.status)
                    batch.append(record)
                    if len(batch) >= 500:  # bounded memory: write as the archive streams by
                        store.record_fetched_pages(con, batch, recorded_at)
                        batch = []
                store.record_fetched_pages(con, batch, recorded_at)
                kept = records.count("landed")
                con.execute("delete from internal.processed_archives where path = ?", [str(archive)])
                con.execute("insert into internal.processed_archives values (?, ?, ?, ?, ?, ?)",
                            [str(archive), stat.st_size, stat.st_mtime_ns, kept, len(records), recorded_at])
            totals["archives_read"] += 1
            totals["pages_kept"] += kept
            totals["pages_seen"] += len(records)
            context.log.info(f"{archive.name}: kept {kept} of {len(records)} HTML pages")
    return MaterializeResult(metadata={k: MetadataValue.int(v) for k, v in totals.items()})
