"""HTML pages out of WARC archives (Common Crawl CC-NEWS and the like), one record at a time.

fastwarc streams the file: memory holds one record, whatever the archive's
size. Only HTTP 200 responses with an HTML content type are kept, and
records over the page size limit are skipped unread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecordType

MAX_RECORD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ArchivedPage:
    url: str
    fetched: dt.datetime | None
    html: bytes


def archived_html_pages(path: Path, max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[ArchivedPage]:
    # A local path only (fsspec off): an archive named in config must not turn into a network fetch.
    records = ArchiveIterator(str(path), record_types=WarcRecordType.response, parse_http=True,
                              max_content_length=max_record_bytes, stream_detect=True, fsspec_args=False)
    for record in records:
        if record.http_headers is None or record.http_headers.status_code != 200:
            continue
        content_type = (record.http_headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in ("text/html", "application/xhtml+xml"):
            continue
        url = record.headers.get("WARC-Target-URI")
        if not url:
            continue
        date = record.headers.get("WARC-Date")
        try:
            fetched = dt.datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None
        except ValueError:
            fetched = None
        yield ArchivedPage(url=url, fetched=fetched, html=record.reader.read())
