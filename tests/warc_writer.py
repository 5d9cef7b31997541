"""A minimal WARC 1.0 writer for tests: response records, optionally gzipped per record."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path


def http_response(body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def warc_record(url: str, payload: bytes, date: str = "2026-11-20T10:00:00Z", record_type: str = "response") -> bytes:
    headers = (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Target-URI: {url}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url + record_type)}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode()
    return headers + payload + b"\r\n\r\n"


def write_warc(path: Path, records: list[bytes], compress: bool = True) -> Path:
    with open(path, "wb") as out:
        for record in records:
            out.write(gzip.compress(record, mtime=0) if compress else record)
    return path
