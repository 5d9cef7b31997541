"""One archive file, one partition: its pages read, extracted, filtered and written as Parquet.

A backfill of N WARC files is N independent tasks (``extract_archive_partition``), run in
this process or on Dask's workers (``extract_archive_partitions``). Each writes its result,
every page's outcome and the HTML of the pages kept, under its own folder of the partitions
root, ``<root>/<archive file name>/`` (``pages.parquet`` and ``manifest.json``); a re-run
replaces the folder whole, so a partition is the result of one complete run, never of two.
The root is a local path or an fsspec URL (``s3://bucket/partitions``): on a cluster, the
workers write where the run that lands them reads. The warehouse is not touched here: the
merge step (``pipeline/defs/gather/store.py``) lands written partitions in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from .cleaning import ExtractionSettings
from .sources import judge_page
from .urls import canonical_url
from .warc import archived_html_pages

PAGES_FILE = "pages.parquet"
MANIFEST_FILE = "manifest.json"

# A row per page of the archive: its outcome (a row of internal.fetched_pages but the time it is
# recorded), and the HTML of the pages kept (null for the others).
PAGE_SCHEMA = {"url": pl.String, "day": pl.Date, "source": pl.String, "status": pl.String, "reason": pl.String,
               "relevant": pl.Boolean, "relevance_score": pl.Float64, "relevance_reasons": pl.String,
               "relative_path": pl.String, "html": pl.Binary}


@dataclass(frozen=True)
class ArchiveFile:
    """A WARC file as it was listed: its partition is its name; size and mtime say whether it changed."""

    key: str
    path: str
    size: int
    mtime_ns: int


def list_archive_files(folder: Path) -> list[ArchiveFile]:
    """The WARC files of the folder (``*.warc.gz``, ``*.warc``), by name."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.warc.gz")) + sorted(folder.glob("*.warc"))
    return [ArchiveFile(path.name, str(path), stat.st_size, stat.st_mtime_ns)
            for path in files for stat in [path.stat()]]


def _filesystem(root: str):
    import fsspec  # here, not at import: a run with no archive does not pay for it

    fs, base = fsspec.core.url_to_fs(root)
    return fs, base.rstrip("/")


def archive_pages_frame(archive: ArchiveFile, settings: ExtractionSettings = ExtractionSettings()) -> tuple[pl.DataFrame, str | None]:
    """Every HTML page of the archive, extracted (within its time budget) and judged for film/TV relevance,
    and what was wrong with the archive, if it could not be read to its end (the pages before that are kept).

    A URL the archive holds twice is read once (its first copy). The day of a page is the day it was
    archived, so the same archive gives the same rows whenever and wherever it is read.
    """
    rows, seen = [], set()
    pages = archived_html_pages(Path(archive.path))
    while True:
        try:
            page = next(pages)
        except StopIteration:
            break
        except OSError as error:  # fastwarc: a damaged or truncated gzip member, a file that is not WARC
            return pl.DataFrame(rows, schema=PAGE_SCHEMA), (
                f"the archive could not be read past its first {len(rows)} HTML page(s) ({error}): it is damaged or "
                "cut short; download it again (the pages before the damage were kept)")
        try:
            url = canonical_url(page.url)
        except ValueError:
            continue
        if url in seen:
            continue
        seen.add(url)
        # An archive record without a date belongs to the day its file was written.
        day = page.fetched.date() if page.fetched else dt.datetime.fromtimestamp(archive.mtime_ns / 1e9, dt.timezone.utc).date()
        record, html = judge_page(day, url, page.html, archive.key, film_only=False, settings=settings)
        rows.append({**asdict(record), "html": html if record.status == "landed" else None})
    return pl.DataFrame(rows, schema=PAGE_SCHEMA), None


def extract_archive_partition(archive: ArchiveFile, partitions_root: str,
                              settings: ExtractionSettings = ExtractionSettings()) -> dict:
    """Read one archive and write its partition (replacing the one written before); returns its manifest,
    which names the process that read it."""
    frame, error = archive_pages_frame(archive, settings)
    manifest = {**asdict(archive), "pages_seen": frame.height, "error": error,
                "read_by": f"{socket.gethostname()}:{os.getpid()}",
                "pages_kept": int((frame["status"] == "landed").sum()),
                "written_at": dt.datetime.now(dt.timezone.utc).isoformat()}
    fs, root = _filesystem(partitions_root)
    final = f"{root}/{archive.key}"
    # Written beside the final folder under a hidden name, then swapped in: a reader (the merge step)
    # sees the old partition or the new one, and a task killed half-way leaves only a hidden folder.
    staging = f"{root}/.{archive.key}.{uuid.uuid4().hex}"
    fs.makedirs(staging, exist_ok=True)
    with fs.open(f"{staging}/{PAGES_FILE}", "wb") as out:
        frame.write_parquet(out)
    with fs.open(f"{staging}/{MANIFEST_FILE}", "w") as out:
        json.dump(manifest, out)
    if fs.exists(final):
        fs.rm(final, recursive=True)
    fs.mv(staging, final, recursive=True)
    return manifest


def extract_archive_partitions(archives: Iterable[ArchiveFile], partitions_root: str, dask_client=None,
                               settings: ExtractionSettings = ExtractionSettings()) -> list[dict]:
    """Each archive's partition, one task an archive: on the Dask cluster given, else one after another here."""
    archives = list(archives)
    if dask_client is None:
        return [extract_archive_partition(archive, partitions_root, settings) for archive in archives]
    # pure=False: an archive changed under the same name must be read again, not taken from a cache.
    futures = [dask_client.submit(extract_archive_partition, archive, partitions_root, settings, pure=False,
                                  key=f"archive-partition-{archive.key}-{uuid.uuid4().hex[:8]}")
               for archive in archives]
    return dask_client.gather(futures)


def written_partitions(partitions_root: str) -> dict[str, dict]:
    """The manifest of every partition written under the root, by key."""
    fs, root = _filesystem(partitions_root)
    if not fs.exists(root):
        return {}
    manifests = {}
    for folder in fs.ls(root, detail=False):
        name = folder.rstrip("/").rsplit("/", 1)[-1]
        if name.startswith("."):
            continue
        try:
            with fs.open(f"{folder.rstrip('/')}/{MANIFEST_FILE}", "r") as handle:
                manifests[name] = json.load(handle)
        except FileNotFoundError:
            continue
    return manifests


def is_current(manifest: dict | None, archive: ArchiveFile) -> bool:
    """The partition was written from the archive as it is now listed."""
    return bool(manifest) and (manifest["path"], manifest["size"], manifest["mtime_ns"]) == (archive.path, archive.size, archive.mtime_ns)


def read_partition_pages(partitions_root: str, key: str) -> pl.DataFrame:
    fs, root = _filesystem(partitions_root)
    with fs.open(f"{root}/{key}/{PAGES_FILE}", "rb") as handle:
        return pl.read_parquet(handle)
