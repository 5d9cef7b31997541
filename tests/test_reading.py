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


def test_a_named_pipe_is_rejected_without_being_opened(landing):
    os.mkfifo(landing / "x.html")
    source = only(landing)
    assert source.problem and "named pipe" in source.problem
    # Opening a FIFO with no writer blocks forever; the rejection comes before any open().
    with pytest.raises(DocumentRejected, match="named pipe"):
        read_source_document(source)


def test_a_link_out_of_the_landing_folder_is_rejected_and_one_inside_is_read(landing, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("date 2026-10-01\n\nNot an article of ours.")
    write(landing, "real.html", news_page("Harbor Lights", HARBOR_LIGHTS))
    (landing / "out.txt").symlink_to(outside)
    (landing / "in.html").symlink_to(landing / "real.html")
    by_name = {f.relative_path: f for f in discover_source_files(landing)}
    assert "outside the landing folder" in by_name["out.txt"].problem
    assert by_name["in.html"].problem is None
    assert read_source_document(by_name["in.html"]).content == read_source_document(by_name["real.html"]).content


def test_a_file_name_that_is_not_utf8_is_rejected_by_its_escaped_name(landing):
    bad = os.fsdecode(b"caf\xe9.txt")
    (landing / bad).write_text("date 2026-10-01\n\nHarbor Lights starts in March.")
    source = only(landing)
    assert source.relative_path == "caf\\xe9.txt"
    assert source.source_path.endswith("caf\\xe9.txt")
    with pytest.raises(DocumentRejected, match=r"not valid UTF-8 \(caf\\xe9.txt\)"):
        read_source_document(source)


def test_odd_files_end_in_rows_and_the_rest_of_the_folder_lands(landing, tmp_path):
    from .harness import rows, run

    write(landing, "good.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    os.mkfifo(landing / "pipe.html")
    (landing / os.fsdecode(b"caf\xe9.txt")).write_text("date 2026-10-01\n\nHarbor Lights starts in March.")
    (tmp_path / "elsewhere.txt").write_text("date 2026-10-01\n\nSomeone else's file.")
    (landing / "out.txt").symlink_to(tmp_path / "elsewhere.txt")
    db = tmp_path / "db.duckdb"
    assert run(landing, db).success
    assert rows(db, "select count(*) from articles") == [(1,)]
    reasons = dict(rows(db, "select regexp_extract(source_path, '[^/]+$'), reason from rejected_documents"))
    assert "named pipe" in reasons["pipe.html"]
    assert "not valid UTF-8" in reasons["caf\\xe9.txt"]
    assert "outside the landing folder" in reasons["out.txt"]


def test_a_read_that_hangs_is_given_up_after_the_time_limit(landing, monkeypatch):
    import threading

    from pipeline.core import reading

    write(landing, "stalled.html", news_page("Harbor Lights", HARBOR_LIGHTS))
    source = only(landing)
    release = threading.Event()
    opened_as_listed = reading._open_as_listed

    def open_on_a_stalled_mount(listed):
        release.wait()  # a stalled network mount: the call never returns
        return opened_as_listed(listed)

    monkeypatch.setattr(reading, "_open_as_listed", open_on_a_stalled_mount)
    try:
        with pytest.raises(DocumentRejected, match="took longer than"):
            read_source_document(source, timeout=0.5)
    finally:
        release.set()


SECRET = "date 2026-10-01\n\nThe payroll of the whole studio, which no article should ever publish."


def test_a_file_swapped_for_a_link_after_the_listing_is_not_read(landing, tmp_path):
    (tmp_path / "secret.txt").write_text(SECRET)
    write(landing, "zzz.txt", "date 2026-10-01\n\nHarbor Lights starts shooting in Halifax in March.")
    listed = only(landing)
    (landing / "zzz.txt").unlink()
    (landing / "zzz.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(DocumentRejected, match="replaced by a link after the folder was listed"):
        read_source_document(listed)


def test_a_file_replaced_by_another_after_the_listing_is_not_read(landing, tmp_path):
    write(landing, "zzz.txt", "date 2026-10-01\n\nHarbor Lights starts shooting in Halifax in March.")
    listed = only(landing)
    (tmp_path / "secret.txt").write_text(SECRET)
    os.replace(tmp_path / "secret.txt", landing / "zzz.txt")  # same name, another file (same file system)
    with pytest.raises(DocumentRejected, match="replaced by another one after the folder was listed"):
        read_source_document(listed)


def test_a_link_swapped_in_during_a_run_lands_nothing_from_outside_the_folder(landing, tmp_path, monkeypatch):
    from pipeline.resources import LandingFolder

    from .harness import rows, run

    (tmp_path / "secret.txt").write_text(SECRET)
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    write(landing, "zzz.txt", "date 2026-10-01\n\nHarbor Lights starts shooting in Halifax in March.")
    list_files = LandingFolder.list_files

    def list_then_swap(self):
        listed = list_files(self)
        (landing / "zzz.txt").unlink()
        (landing / "zzz.txt").symlink_to(tmp_path / "secret.txt")
        return listed

    monkeypatch.setattr(LandingFolder, "list_files", list_then_swap)
    db = tmp_path / "db.duckdb"
    assert run(landing, db).success
    assert rows(db, "select count(*) from articles where text like '%payroll%'") == [(0,)]
    assert rows(db, "select count(*) from articles") == [(1,)]
    ((path, reason),) = rows(db, "select source_path, reason from rejected_documents")
    assert path.endswith("zzz.txt") and "replaced by a link" in reason


def test_a_nul_byte_far_into_a_text_file_rejects_it_as_damaged_saying_where(landing):
    body = "date 2026-10-01\n\n" + "Harbor Lights starts shooting in Halifax in March. " * 200
    (landing / "export.txt").write_bytes(body.encode()[:9000] + b"\x00" + body.encode()[9000:])
    with pytest.raises(DocumentRejected) as rejected:
        read_source_document(only(landing))
    assert rejected.value.stage == "read"
    assert "NUL byte at byte 9,000" in rejected.value.reason and "re-export" in rejected.value.reason


def test_every_member_of_a_multi_member_gzip_page_is_read(landing):
    page = news_page("Harbor Lights sets March start", HARBOR_LIGHTS).encode()
    half = len(page) // 2
    # Two members, as `cat first.gz second.gz` or bgzip make, then zero padding.
    (landing / "story.html.gz").write_bytes(gzip.compress(page[:half]) + gzip.compress(page[half:]) + b"\0" * 16)
    assert read_source_document(only(landing)).content == page


def test_a_gzip_bomb_spread_over_members_is_still_refused(landing):
    member = gzip.compress(b"\0" * (MAX_DECOMPRESSED_BYTES // 4 + 1))
    (landing / "bomb.html.gz").write_bytes(member * 4)
    with pytest.raises(DocumentRejected, match="expands beyond"):
        read_source_document(only(landing))


def test_utf16_text_without_a_byte_order_mark_is_read(landing):
    (landing / "export.txt").write_bytes("date 2026-10-01\n\nGreta Lund’s “Harbor Lights” starts in March.".encode("utf-16-le"))
    document = read_source_document(only(landing))
    assert decode_text(document.content) == "date 2026-10-01\n\nGreta Lund’s “Harbor Lights” starts in March."


def test_what_looks_like_utf16_without_a_byte_order_mark_and_is_not_says_so(landing):
    # Zeros in every other byte, as in UTF-16, but an odd length: the last character is cut in half.
    (landing / "export.txt").write_bytes("date 2026-10-01\n\nHarbor Lights starts in March.".encode("utf-16-be")[:-1])
    with pytest.raises(DocumentRejected) as rejected:
        read_source_document(only(landing))
    assert "looks like UTF-16 text without a byte-order mark" in rejected.value.reason
    assert "binary" not in rejected.value.reason
