"""Gathering a day of articles from outlets and archives into the landing folder.

Pages are stored immutably under ``<landing>/<YYYY-MM-DD>/<host>/<hash>.html``
(an existing file is never rewritten), so a fetched page goes through the
same ingest as a file dropped in by hand, and re-running a day changes
nothing. Every URL seen is recorded with its outcome and, for pages, the
relevance decision and score, so the filter's calls can be audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .bounded_extraction import extract_html_article_within_budget
from .cleaning import ExtractionSettings
from .discovery import UnsafeOrInvalidXml, parse_links
from .errors import DocumentRejected
from .fetching import FEED_TYPES, FetchSettings, PoliteFetcher
from .relevance import film_relevance
from .urls import canonical_url


@dataclass(frozen=True)
class Outlet:
    name: str
    hosts: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    film_only: bool = False
    # A local or staging server: loopback and private-network addresses are fetched for this outlet only.
    allow_private_address: bool = False


@dataclass(frozen=True)
class SourcesConfig:
    outlets: tuple[Outlet, ...] = ()
    user_agent: str | None = None
    min_interval_seconds: float = 2.0
    max_pages_per_outlet: int = 200
    # Every request counts (robots.txt, feeds, sitemaps, pages, retries, redirects), so no outlet, however
    # its sitemaps are nested or looped, keeps a run going: 200 pages, their feeds and sitemaps, and room to retry.
    max_requests_per_outlet: int = 400
    max_seconds_per_outlet: float = 600.0
    deadline_per_url_seconds: float = 30.0


class OutletsFileError(ValueError):
    """The outlets file is missing, is not YAML, or does not describe outlets; the message says which."""


_OUTLET_KEYS = {"name", "hosts", "feeds", "sitemaps", "film_only", "allow_private_address"}
_FILE_KEYS = {field.name for field in fields(SourcesConfig)}


def load_sources_config(path: Path) -> SourcesConfig:
    """The outlets file, read and checked; ``OutletsFileError`` says what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OutletsFileError(f"the outlets file {path} does not exist; check the path (FILM_NEWS_OUTLETS), "
                               "or copy the project's outlets.yaml") from None
    except (OSError, UnicodeDecodeError) as error:
        raise OutletsFileError(f"the outlets file {path} cannot be read: {error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error)
        raise OutletsFileError(f"the outlets file {path} cannot be parsed as YAML{at}: {problem}") from None
    data = data or {}
    if not isinstance(data, dict):
        raise OutletsFileError(f"the outlets file {path} should be a mapping with an `outlets:` list, not a "
                               f"{type(data).__name__}")
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise OutletsFileError(f"the outlets file {path} has unknown settings {', '.join(unknown)} "
                               f"(known: {', '.join(sorted(_FILE_KEYS))})")
    entries = data.get("outlets") or []
    if not isinstance(entries, list):
        raise OutletsFileError(f"the outlets file {path}: `outlets` should be a list of outlets")
    outlets = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise OutletsFileError(f"the outlets file {path}: outlet {number} has no name")
        name = str(entry["name"])
        unknown = sorted(set(entry) - _OUTLET_KEYS)
        if unknown:
            raise OutletsFileError(f"the outlets file {path}: outlet {name!r} has unknown settings "
                                   f"{', '.join(unknown)} (known: {', '.join(sorted(_OUTLET_KEYS))})")
        if not entry.get("hosts"):
            raise OutletsFileError(f"the outlets file {path}: outlet {name!r} lists no hosts; links are only "
                                   "followed to listed hosts")
        if not entry.get("feeds") and not entry.get("sitemaps"):
            raise OutletsFileError(f"the outlets file {path}: outlet {name!r} lists no feeds and no sitemaps, "
                                   "so nothing would be gathered from it")
        outlets.append(Outlet(name=name, hosts=_strings(entry["hosts"]), feeds=_strings(entry.get("feeds")),
                              sitemaps=_strings(entry.get("sitemaps")), film_only=entry.get("film_only") is True,
                              allow_private_address=entry.get("allow_private_address") is True))
    numbers = {"min_interval_seconds": float, "max_pages_per_outlet": int, "max_requests_per_outlet": int,
               "max_seconds_per_outlet": float, "deadline_per_url_seconds": float}
    try:
        settings = {key: kind(data[key]) for key, kind in numbers.items() if key in data}
    except (TypeError, ValueError) as error:
        raise OutletsFileError(f"the outlets file {path}: a number setting is not a number ({error})") from None
    return SourcesConfig(outlets=tuple(outlets), user_agent=data.get("user_agent"), **settings)


def _strings(value) -> tuple[str, ...]:
    """A YAML list of strings, or one string written without brackets."""
    if value is None:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(item) for item in value)


@dataclass
class PageRecord:
    """One URL's outcome: a row of the ``fetched_pages`` table."""

    url: str
    day: dt.date
    source: str  # outlet name, or archive file name
    status: str  # landed | filtered_out | rejected | not_modified
    reason: str | None = None
    relevant: bool | None = None
    relevance_score: float | None = None
    relevance_reasons: str | None = None
    relative_path: str | None = None


def page_path(landing: Path, day: dt.date, url: str) -> Path:
    host = urlsplit(url).hostname or "unknown-host"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return landing / day.isoformat() / host / f"{digest}.html"


def keep_if_relevant(landing: Path, day: dt.date, url: str, html: bytes, source: str, film_only: bool,
                     staging: Path | None = None) -> PageRecord:
    """Score a page and store it when it is about film or TV; the decision is returned either way.

    With ``staging``, the page is written there (at its path inside the landing folder) for
    ``land_staged_pages`` to move into the landing folder when its record is written.
    """
    record, html = judge_page(day, url, html, source, film_only)
    if record.status == "landed":
        write_landed_page(landing, record.relative_path, html, staging)
    return record


def judge_page(day: dt.date, url: str, html: bytes, source: str, film_only: bool,
               settings: ExtractionSettings = ExtractionSettings()) -> tuple[PageRecord, bytes]:
    """A page's record, extracted within its budget and scored for film/TV relevance, and its HTML;
    a relevant page's record names the path it lands at (inside the landing folder), not yet written."""
    try:
        article = extract_html_article_within_budget(html, settings)
        title, text = article.title, article.text
    except DocumentRejected as rejection:
        return PageRecord(url, day, source, "rejected", reason=rejection.reason), html
    decision = film_relevance(url, title, text, outlet_film_only=film_only)
    record = PageRecord(url, day, source, "landed" if decision.relevant else "filtered_out",
                        relevant=decision.relevant, relevance_score=decision.score, relevance_reasons=decision.reasons)
    if decision.relevant:
        record.relative_path = page_path(Path("."), day, url).as_posix()
    return record, html


def write_landed_page(landing: Path, relative_path: str, html: bytes, staging: Path | None = None) -> None:
    """Store a kept page at its path in the landing folder (or in ``staging``, for ``land_staged_pages``)."""
    if not (landing / relative_path).exists():  # immutable: a stored page is never rewritten
        _write_atomically((staging or landing) / relative_path, html)


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")  # hidden: ingest never lists a half-written page
    partial.write_bytes(content)
    partial.replace(target)


def land_staged_pages(staging: Path, landing: Path) -> int:
    """Move the pages ``keep_if_relevant`` staged into the landing folder; how many were moved.

    Gathering stages pages outside the landing folder's listing, so it can fetch without
    holding the warehouse's lock, and lands them (call this inside the transaction that
    records them) only when ingest can also find how each was fetched.
    """
    moved = 0
    for staged in sorted(p for p in staging.rglob("*") if p.is_file() and not p.name.startswith(".")):
        target = landing / staged.relative_to(staging)
        if target.exists():  # immutable: a stored page is never rewritten
            staged.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(target)
        moved += 1
    return moved


@dataclass
class OutletOutcome:
    """What one outlet gave in one run, for the run's summary."""

    name: str
    sources_read: int = 0  # feeds and sitemaps fetched, or unchanged since the last run
    source_errors: list[str] = field(default_factory=list)
    pages: Counter = field(default_factory=Counter)  # page status -> count
    requests: int = 0
    links_left: int = 0  # links not fetched because a limit of the run was reached

    @property
    def failed(self) -> bool:
        """No feed or sitemap of the outlet could be read: nothing was gathered, and not for lack of news."""
        return self.sources_read == 0 and bool(self.source_errors)


@dataclass
class DayResult:
    records: list[PageRecord] = field(default_factory=list)
    feed_errors: list[str] = field(default_factory=list)
    requests: int = 0
    # Validators of each feed and sitemap as last fetched: url -> (etag, last_modified).
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    feeds_not_modified: int = 0
    outlets: list[OutletOutcome] = field(default_factory=list)


# Sitemaps an index may queue at once; the budget of requests bounds how many are read in all.
MAX_QUEUED_SITEMAPS = 50


def _outlet_settings(base: FetchSettings, config: SourcesConfig, outlet: Outlet) -> FetchSettings:
    overrides = {"min_interval": config.min_interval_seconds, "max_requests": config.max_requests_per_outlet,
                 "max_seconds": config.max_seconds_per_outlet, "deadline_per_url": config.deadline_per_url_seconds,
                 "allow_private_address": base.allow_private_address or outlet.allow_private_address}
    if config.user_agent:
        overrides["user_agent"] = config.user_agent
    return replace(base, **overrides)


def gather_days(
    config: SourcesConfig,
    first_day: dt.date,
    last_day: dt.date,
    landing: Path,
    already_gathered: Callable[[list[str]], set[str]],
    take_undated: bool,
    settings: FetchSettings | None = None,
    fetcher_factory: Callable[[list[str], FetchSettings], PoliteFetcher] = lambda hosts, s: PoliteFetcher(hosts, s),
    validators: dict[str, tuple[str | None, str | None]] | None = None,
    staging: Path | None = None,
) -> DayResult:
    """Discover and fetch every outlet's new article URLs dated ``first_day`` to ``last_day``.

    A link's day is the one its feed or sitemap gives it. An undated link is taken only
    when ``take_undated`` (a run gathering up to today): it belongs to ``last_day``, the
    day it was discovered, so a backfill of past days takes dated links only. A URL
    already gathered (``already_gathered`` answers for a list of URLs at once) is never
    fetched again, so overlapping ranges cost nothing twice. Relevant pages are written to
    ``staging`` when given (see ``land_staged_pages``), else straight into ``landing``. Each feed and sitemap is read at most once a run (an index that lists itself, or a
    cycle of indexes, ends), and each outlet has a budget of requests a run.
    """
    result = DayResult()
    validators = validators or {}
    for outlet in config.outlets:
        fetcher = fetcher_factory(list(outlet.hosts), _outlet_settings(settings or FetchSettings(), config, outlet))
        outcome = OutletOutcome(outlet.name)
        result.outlets.append(outcome)

        def source_failed(source_url: str, reason: str) -> None:
            outcome.source_errors.append(f"{source_url}: {reason}")
            result.feed_errors.append(f"{outlet.name}: {source_url}: {reason}")

        links: dict[str, dt.date | None] = {}
        pending = list(outlet.feeds) + list(outlet.sitemaps)
        read_or_queued = {_source_key(url) for url in pending}
        while pending and not fetcher.budget_spent:
            source_url = pending.pop(0)
            # Feeds are read every day: ask conditionally, so an unchanged feed costs a 304.
            etag, last_modified = validators.get(source_url, (None, None))
            fetched = fetcher.fetch(source_url, accept=FEED_TYPES, etag=etag, last_modified=last_modified)
            if fetched.status == "not_modified":
                result.feeds_not_modified += 1
                outcome.sources_read += 1
                continue
            if fetched.status != "fetched":
                source_failed(source_url, fetched.reason or fetched.status)
                continue
            result.validators[source_url] = (fetched.etag, fetched.last_modified)
            try:
                found = parse_links(fetched.content or b"")
            except UnsafeOrInvalidXml as error:
                source_failed(source_url, str(error))
                continue
            outcome.sources_read += 1
            for link in found:
                if link.is_sitemap:
                    key = _source_key(link.url)
                    if key not in read_or_queued and len(pending) < MAX_QUEUED_SITEMAPS:
                        read_or_queued.add(key)
                        pending.append(link.url)
                    continue
                try:
                    url = canonical_url(link.url)
                except ValueError:
                    continue
                links.setdefault(url, link.published)
        taken = 0
        belonging = [(url, published or last_day) for url, published in sorted(links.items())
                     if (first_day <= published <= last_day if published else take_undated)]
        gathered_before = already_gathered([url for url, _ in belonging]) if belonging else set()
        to_fetch = [(url, day) for url, day in belonging if url not in gathered_before]
        for position, (url, day) in enumerate(to_fetch):
            if taken >= config.max_pages_per_outlet or fetcher.budget_spent:
                outcome.links_left = len(to_fetch) - position
                break
            taken += 1
            page = fetcher.fetch(url)
            if page.status != "fetched":
                record = PageRecord(url, day, outlet.name, "rejected", reason=page.reason)
            else:
                record = keep_if_relevant(landing, day, url, page.content or b"", outlet.name, outlet.film_only, staging)
            result.records.append(record)
            outcome.pages[record.status] += 1
        if fetcher.budget_spent and (pending or outcome.links_left):
            left = f"{len(pending)} sitemap(s) and {outcome.links_left} link(s)"
            result.feed_errors.append(f"{outlet.name}: the budget of {fetcher.budget_description()} was spent; "
                                      f"{left} are left for the next run")
        outcome.requests = fetcher.requests_made
        result.requests += fetcher.requests_made
    return result


def _source_key(url: str) -> str:
    """One spelling of a feed or sitemap URL, so a sitemap listed under two spellings is read once."""
    try:
        return canonical_url(url)
    except ValueError:
        return url.strip()
