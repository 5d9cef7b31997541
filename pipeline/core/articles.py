"""A batch of landing-folder files in, frames of articles, rejections and file records out."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl

from . import cleaning, reading
from .bounded_extraction import extract_article_within_budget
from .cleaning import ExtractionSettings, content_hash, count_words
from .dedupe import MAX_CANDIDATES, DedupeCandidate, DedupeResult, ShingleCache, assign_duplicates, lsh_band_hashes, shingles
from .errors import DocumentRejected
from .reading import SourceFile, read_source_document
from .versions import code_version

ARTICLE_FRAME_SCHEMA = {
    "article_id": pl.String,
    "source_path": pl.String,
    "url": pl.String,
    "site": pl.String,
    "title": pl.String,
    "author": pl.String,
    "published_date": pl.Date,
    "language": pl.String,
    "text": pl.String,
    "word_count": pl.Int32,
    "content_hash": pl.String,
    "duplicate_of": pl.String,
    "ingested_at": pl.Datetime("us"),
    "italic_spans": pl.List(pl.List(pl.Int32)),
}
REJECTION_FRAME_SCHEMA = {
    "source_path": pl.String,
    "stage": pl.String,
    "reason": pl.String,
    "rejected_at": pl.Datetime("us"),
    "file_sha256": pl.String,
}
SOURCE_FILE_FRAME_SCHEMA = {
    "relative_path": pl.String,
    "source_path": pl.String,
    "size": pl.Int64,
    "mtime_ns": pl.Int64,
    "file_sha256": pl.String,
    "article_id": pl.String,
    "status": pl.String,  # landed | rejected | unchanged
    "processed_at": pl.Datetime("us"),
}
BAND_FRAME_SCHEMA = {"article_id": pl.String, "band": pl.Int16, "band_hash": pl.Int64}


# The libraries whose output is an article's text and metadata: a new release can change both.
CLEANING_LIBRARIES = ("trafilatura", "htmldate", "justext", "lxml", "py3langid")


@functools.cache
def cleaning_version(settings: ExtractionSettings = ExtractionSettings()) -> str:
    """The version of what turns a file into an article row: this module, the reading and cleaning
    code, the libraries they call and the extraction settings.

    Recorded with each file (``internal.source_files.cleaning_version``): when the cleaning changes,
    ingest cleans the landed files again on the next run, and only the articles whose text changed
    go through the NLP stage again (it is keyed by content hash).
    """
    libraries = [f"{name}=={importlib.metadata.version(name)}" for name in CLEANING_LIBRARIES]
    return code_version(Path(__file__), cleaning, reading, also=[*libraries, repr(settings)])


def article_id_for_url(url: str) -> str:
    """A fetched page is identified by its URL: fetched again on another day, it is the same article."""
    return hashlib.sha256(f"url:{url}".encode("utf-8")).hexdigest()[:16]


def article_id_for(relative_path: str) -> str:
    """Stable id of a document: the same file ingested again gets the same id.

    It hashes the path inside the landing folder, not the absolute path, so
    moving the project or the landing folder does not re-key the dataset.
    """
    return hashlib.sha256(f"file:{relative_path}".encode("utf-8")).hexdigest()[:16]


def document_source_path(relative_path: str, url: str | None = None) -> str:
    """What ``source_path`` says in every row about a document: the URL a gathered page was fetched
    from, else the file's path inside the landing folder.

    Never the absolute path: a landing folder copied or moved elsewhere holds the same documents,
    and rows keyed on where the folder happened to be would no longer match their files.
    """
    return url or relative_path


@dataclass
class CleanedBatch:
    articles: pl.DataFrame
    rejections: pl.DataFrame
    source_files: pl.DataFrame
    # Files that had landed an article and are empty now: the article is kept (landed data is
    # never lost by tidying the folder) and the file is reported, not rejected as a new document.
    emptied: list[str] = field(default_factory=list)


def clean_source_files(
    files: Sequence[tuple[SourceFile, str | None]],
    ingested_at: dt.datetime,
    settings: ExtractionSettings = ExtractionSettings(),
    source_urls: dict[str, str] | None = None,
    landed_before: frozenset[str] | set[str] = frozenset(),
    source_outlets: dict[str, str] | None = None,
) -> CleanedBatch:
    """Read and clean each ``(file, sha256 recorded last time or None)``.

    One bad file becomes a rejection row and never stops the batch; a file
    whose bytes match the recorded hash (only its timestamp changed) is
    recorded as unchanged and not cleaned again. A page fetched from a configured outlet
    (``source_urls``, ``source_outlets``) lands with the URL it was fetched from and the
    outlet's name as configured, whatever its own metadata says or lacks: one outlet is one
    site in every count. A page from an archive keeps its own site name, else its host.
    """
    articles, rejections, records, emptied = [], [], [], []
    source_urls, source_outlets = source_urls or {}, source_outlets or {}
    for source, known_sha256 in files:
        url = source_urls.get(source.relative_path)
        article_id = article_id_for_url(url) if url else article_id_for(source.relative_path)
        document_path = document_source_path(source.relative_path, url)
        record = {
            "relative_path": source.relative_path,
            "source_path": document_path,
            "size": source.size,
            "mtime_ns": source.mtime_ns,
            "file_sha256": None,
            "article_id": None,
            "processed_at": ingested_at,
        }
        if source.size == 0 and source.relative_path in landed_before:
            # The stat is recorded (so the next run does not look again); status and article stay.
            records.append(record | {"status": "unchanged", "article_id": None})
            emptied.append(source.source_path)
            continue
        try:
            document = read_source_document(source)
            record["file_sha256"] = document.file_sha256
            if known_sha256 is not None and document.file_sha256 == known_sha256:
                records.append(record | {"status": "unchanged", "article_id": None})
                continue
            article = extract_article_within_budget(document, settings)
        except DocumentRejected as rejection:
            rejections.append(
                {
                    "source_path": document_path,
                    "stage": rejection.stage,
                    "reason": rejection.reason,
                    "rejected_at": ingested_at,
                    "file_sha256": record["file_sha256"],
                }
            )
            records.append(record | {"status": "rejected"})
            continue
        articles.append(
            {
                "article_id": article_id,
                "source_path": document_path,
                "url": url or article.url,
                "site": source_outlets.get(source.relative_path) or article.site or (urlsplit(url).hostname if url else None),
                "title": article.title,
                "author": article.author,
                "published_date": article.published_date,
                "language": article.language,
                "text": article.text,
                "word_count": count_words(article.text),
                "content_hash": content_hash(article.text),
                "duplicate_of": None,
                "ingested_at": ingested_at,
                "italic_spans": [list(span) for span in article.italic_spans],
            }
        )
        records.append(record | {"status": "landed", "article_id": article_id})
    return CleanedBatch(
        # The same URL stored on two days in one batch: the later file (sorted last) is the article.
        articles=pl.DataFrame(articles, schema=ARTICLE_FRAME_SCHEMA).unique(subset=["article_id"], keep="last", maintain_order=True),
        # Likewise its rejections: one row per document, the later file's.
        rejections=pl.DataFrame(rejections, schema=REJECTION_FRAME_SCHEMA).unique(subset=["source_path"], keep="last", maintain_order=True),
        source_files=pl.DataFrame(records, schema=SOURCE_FILE_FRAME_SCHEMA),
        emptied=emptied,
    )


def article_shingles(articles: pl.DataFrame) -> dict[str, set[str]]:
    """Each article's body as its set of word shingles: computed once, read by the bands and the dedupe."""
    return {article_id: shingles(text) for article_id, text in articles.select("article_id", "text").iter_rows()}


def article_bands(articles: pl.DataFrame, body_shingles: dict[str, set[str]]) -> pl.DataFrame:
    """The LSH band hashes of each article's body (its shingles from ``article_shingles``), one row per band."""
    rows = []
    for article_id in articles["article_id"]:
        for band, band_hash in enumerate(lsh_band_hashes(body_shingles[article_id])):
            rows.append((article_id, band, band_hash))
    return pl.DataFrame(rows, schema=BAND_FRAME_SCHEMA, orient="row")


def mark_duplicates(
    articles: pl.DataFrame,
    bands: pl.DataFrame,
    find_landed_candidates: Callable[[pl.DataFrame, int], dict[str, list[DedupeCandidate]]],
    landed_shingles: ShingleCache | None = None,
    body_shingles: dict[str, set[str]] | None = None,
) -> tuple[pl.DataFrame, DedupeResult]:
    """Fill ``duplicate_of`` for a batch, given a lookup of landed articles by band hash.

    The lookup is asked once for the whole batch (one indexed join, not one query per
    article) and answers, per new article, the landed ones sharing the most bands with it,
    at most MAX_CANDIDATES: a copy shares far more bands than articles that merely share a
    site's boilerplate. The decisions are then made in precedence order.
    """
    if articles.is_empty():
        return articles, DedupeResult({}, {})
    landed = find_landed_candidates(bands, MAX_CANDIDATES)
    band_hashes: dict[str, list[int]] = {}
    for article_id, _band, band_hash in bands.sort("article_id", "band").iter_rows():
        band_hashes.setdefault(article_id, []).append(band_hash)
    # assign_duplicates asks by an article's bands; identical bands have the same candidates.
    by_bands = {tuple(hashes): landed.get(article_id, []) for article_id, hashes in band_hashes.items()}

    def lookup(hashes: Iterable[int]) -> list[DedupeCandidate]:
        return by_bands.get(tuple(hashes), [])

    result = assign_duplicates(list(articles.select("article_id", "published_date", "text").iter_rows()), lookup, band_hashes,
                               landed_shingles, body_shingles)
    marked = articles.with_columns(
        pl.col("article_id").replace_strict(result.duplicate_of, default=None, return_dtype=pl.String).alias("duplicate_of")
    )
    return marked, result
