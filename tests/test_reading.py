"""Reading files from the landing folder: what is picked up, and how bad files are refused."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from pipeline.core.errors import DocumentRejected
from pipeline.core.reading import (
    MAX_DECOMPRESSED_BYTES,
    decode_text,
    discover_source_files,
    read_source_document,
)

from .newsroom import HARBOR_LIGHTS, news_page, write


def only(landing: Path):
    files = discover_source_files(landing)
    assert len(files) == 1
    return files[0]


def test_discovery_walks_subfolders_sorted_and_skips_hidden_files(landing):
    write(landing, "2026-10-02/b.html", "x")
    write(landing, "2026-10-01/a.txt", "x")
    write(landing, ".DS_Store", "x")
    write(landing, ".git/config", "x")
    write(landing, "notes.pdf", "%PDF-1.4")
    assert [f.relative_path for f in discover_source_files(landing)] == ["2026-10-01/a.txt", "2026-10-02/b.html", "notes.pdf"]


def test_missing_landing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="landing folder"):
        discover_source_files(tmp_path / "nope")


def test_gzipped_html_is_decompressed(landing):
    page = news_page("Harbor Lights sets March start", HARBOR_LIGHTS)
    write(landing, "story.html.gz", page)
    document = read_source_document(only(landing))
    assert document.kind == "html"
    assert document.content.decode("utf-8") == page


@pytest.mark.parametrize(
    ("name", "content", "stage", "words"),
    [
        ("empty.html", b"", "read", "empty"),
        ("blank.txt", b"   \n\n  ", "read", "empty"),
        ("poster.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "read", "PNG image"),
        ("export.txt", b"abc\x00\x01\x02def" * 10, "read", "binary data"),
        ("notes.docx", b"PK\x03\x04", "read", "unsupported file type"),
        ("truncated.html.gz", gzip.compress(b"<html>" + b"a" * 5000)[:40], "read", "truncated"),
        ("fake.html.gz", b"<html>not really gzip</html>", "read", "not valid gzip"),
    ],
)
def test_unreadable_files_are_rejected_with_an_actionable_reason(landing, name, content, stage, words):
    write(landing, name, content) if not name.endswith(".gz") else (landing / name).write_bytes(content)
    with pytest.raises(DocumentRejected) as rejected:
        read_source_document(only(landing))
    assert rejected.value.stage == stage
    assert words in rejected.value.reason


def test_gzip_bomb_is_refused_without_expanding_it(landing):
    bomb = gzip.compress(b"\0" * (MAX_DECOMPRESSED_BYTES + 1024 * 1024))
    (landing / "bomb.html.gz").write_bytes(bomb)
    with pytest.raises(DocumentRejected, match="expands beyond"):
        read_source_document(only(landing))


def test_folder_named_like_an_article_and_broken_link_are_rejected(landing):
    (landing / "draft.html").mkdir()
    os.symlink(landing / "gone.txt", landing / "link.txt")
    files = discover_source_files(landing)
    reasons = {}
    for source in files:
        with pytest.raises(DocumentRejected) as rejected:
            read_source_document(source)
        reasons[source.relative_path] = rejected.value.reason
    assert "link.txt" in reasons and "broken link" in reasons["link.txt"]
    # A folder is not a regular file: os.walk lists it as a folder, so it is walked, not read.
    assert "draft.html" not in reasons


def test_text_decoding_accepts_utf8_bom_utf16_and_windows_1252():
    assert decode_text("“Quoted” café".encode("utf-8")) == "“Quoted” café"
    assert decode_text(b"\xef\xbb\xbfhello") == "hello"
    assert decode_text("Greta’s line".encode("utf-16")) == "Greta’s line"
    assert decode_text("Greta’s line".encode("cp1252")) == "Greta’s line"


def test_text_that_is_neither_utf8_nor_windows_1252_is_rejected():
    with pytest.raises(DocumentRejected) as rejected:
        decode_text(b"caf\xc3 \x81\x8d\x8f\x90")
    assert rejected.value.stage == "decode"
    assert "re-save it as UTF-8" in rejected.value.reason
