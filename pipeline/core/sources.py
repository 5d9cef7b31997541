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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .bounded_extraction import extract_html_article_within_budget
from .discovery import UnsafeOrInvalidXml, parse_links
from .errors import DocumentRejected
from .fetching import FEED_TYPES, FetchSettings, PoliteFetcher
from .relevance import film_relevance
from .urls import canonical_url
from .warc import archived_html_pages


@dataclass(frozen=True)
class Outlet:
    name: str
    hosts: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    film_only: bool = False


@dataclass(frozen=True)
class SourcesConfig:
    outlets: tuple[Outlet, ...] = ()
    user_agent: str | None = None
    min_interval_seconds: float = 2.0
    max_pages_per_outlet: int = 200


def load_sources_config(path: Path) -> SourcesConfig:
    if not Path(path).exists():
        return SourcesConfig()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    outlets = []
    for entry in data.get("outlets") or []:
        if not entry.get("hosts"):
            raise ValueError(f"{path}: outlet {entry.get('name')!r} lists no hosts; links are only followed to listed hosts")
        outlets.append(Outlet(name=entry["name"], hosts=tuple(entry["hosts"]), feeds=tuple(entry.get("feeds") or ()),
                              sitemaps=tuple(entry.get("sitemaps") or ()), film_only=bool(entry.get("film_only"))))
    return SourcesConfig(outlets=tuple(outlets), user_agent=data.get("user_agent"),
                         min_interval_seconds=float(data.get("min_interval_seconds", 2.0)),
                         max_pages_per_outlet=int(data.get("max_pages_per_outlet", 200)))


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


def keep_if_relevant(landing: Path, day: dt.date, url: str, html: bytes, source: str, film_only: bool) -> PageRecord:
    """Score a page and store it when it is about film or TV; the decision is returned either way."""
    try:
        article = extract_html_article_within_budget(html)
        title, text = article.title, article.text
    except DocumentRejected as rejection:
        return PageRecord(url, day, source, "rejected", reason=rejection.reason)
    decision = film_relevance(url, title, text, outlet_film_only=film_only)
    record = PageRecord(url, day, source, "landed" if decision.relevant else "filtered_out",
                        relevant=decision.relevant, relevance_score=decision.score, relevance_reasons=decision.reasons)
    if decision.relevant:
        target = page_path(landing, day, url)
        if not target.exists():  # immutable: a stored page is never rewritten
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = target.with_suffix(".tmp")
            staging.write_bytes(html)
            staging.replace(target)
        record.relative_path = target.relative_to(landing).as_posix()
    return record


@dataclass
class DayResult:
    records: list[PageRecord] = field(default_factory=list)
    feed_errors: list[str] = field(default_factory=list)
    requests: int = 0
    # Validators of each feed and sitemap as last fetched: url -> (etag, last_modified).
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    feeds_not_modified: int = 0


def gather_days(
    config: SourcesConfig,
    first_day: dt.date,
    last_day: dt.date,
    landing: Path,
    already_seen: Callable[[str], bool],
    take_undated: bool,
    settings: FetchSettings | None = None,
    fetcher_factory: Callable[[list[str], FetchSettings], PoliteFetcher] = lambda hosts, s: PoliteFetcher(hosts, s),
    validators: dict[str, tuple[str | None, str | None]] | None = None,
) -> DayResult:
    """Discover and fetch every outlet's new article URLs dated ``first_day`` to ``last_day``.

    A link's day is the one its feed or sitemap gives it. An undated link is taken only
    when ``take_undated`` (a run gathering up to today): it belongs to ``last_day``, the
    day it was discovered, so a backfill of past days takes dated links only. A URL
    already gathered is never fetched again, so overlapping ranges cost nothing twice.
    """
    result = DayResult()
    validators = validators or {}
    for outlet in config.outlets:
        base = settings or FetchSettings()
        outlet_settings = FetchSettings(**{**base.__dict__, "min_interval": config.min_interval_seconds,
                                           **({"user_agent": config.user_agent} if config.user_agent else {})})
        fetcher = fetcher_factory(list(outlet.hosts), outlet_settings)
        links: dict[str, dt.date | None] = {}
        pending = [(u, False) for u in outlet.feeds] + [(u, True) for u in outlet.sitemaps]
        while pending:
            source_url, _is_sitemap = pending.pop(0)
            # Feeds are read every day: ask conditionally, so an unchanged feed costs a 304.
            etag, last_modified = validators.get(source_url, (None, None))
            fetched = fetcher.fetch(source_url, accept=FEED_TYPES, etag=etag, last_modified=last_modified)
            if fetched.status == "not_modified":
                result.feeds_not_modified += 1
                continue
            if fetched.status == "fetched":
                result.validators[source_url] = (fetched.etag, fetched.last_modified)
            if fetched.status != "fetched":
                result.feed_errors.append(f"{outlet.name}: {source_url}: {fetched.reason or fetched.status}")
                continue
            try:
                for link in parse_links(fetched.content or b""):
                    if link.is_sitemap:
                        if len(pending) < 50:
                            pending.append((link.url, True))
                        continue
                    try:
                        url = canonical_url(link.url)
                    except ValueError:
                        continue
                    links.setdefault(url, link.published)
            except UnsafeOrInvalidXml as error:
                result.feed_errors.append(f"{outlet.name}: {source_url}: {error}")
        taken = 0
        for url, published in sorted(links.items()):
            day = published or last_day
            belongs = first_day <= published <= last_day if published else take_undated
            if not belongs or already_seen(url):
                continue
            if taken >= config.max_pages_per_outlet:
                break
            taken += 1
            page = fetcher.fetch(url)
            if page.status != "fetched":
                result.records.append(PageRecord(url, day, outlet.name, "rejected", reason=page.reason))
                continue
            result.records.append(keep_if_relevant(landing, day, url, page.content or b"", outlet.name, outlet.film_only))
        result.requests += fetcher.requests_made
    return result


def gather_archive(path: Path, landing: Path, already_seen: Callable[[str], bool]) -> Iterable[PageRecord]:
    """Relevant HTML pages of one WARC file into the landing folder, streamed record by record."""
    for page in archived_html_pages(path):
        try:
            url = canonical_url(page.url)
        except ValueError:
            continue
        if already_seen(url):
            continue
        day = page.fetched.date() if page.fetched else dt.date.today()
        yield keep_if_relevant(landing, day, url, page.html, path.name, film_only=False)
