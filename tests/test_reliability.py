"""Failures that must leave the data intact and say what went wrong."""

from __future__ import annotations

import errno
import shutil

import duckdb
import polars as pl
import pytest

from pipeline import warehouse
from pipeline.defs.ingest.store import upsert_rejections
from pipeline.defs.publish.store import PublishFailed, publish_snapshot
from pipeline.warehouse import snapshot_path_for

from .newsroom import nested_inline_page


def test_a_database_error_is_not_hidden_by_the_cleanup(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    # An older layout: rejected_documents without the column the pipeline writes.
    con.execute("alter table rejected_documents drop column file_sha256")
    rejection = pl.DataFrame({"source_path": ["a.html"], "stage": ["read"], "reason": ["x"],
                              "rejected_at": [warehouse.utc_now()], "file_sha256": [None]},
                             schema={"source_path": pl.String, "stage": pl.String, "reason": pl.String,
                                     "rejected_at": pl.Datetime("us"), "file_sha256": pl.String})
    with pytest.raises(duckdb.Error) as raised:
        with warehouse.transaction(con):
            upsert_rejections(con, rejection)
    assert "file_sha256" in str(raised.value)
    assert "transaction is aborted" not in str(raised.value).casefold()
    con.close()


def test_a_failed_publish_leaves_the_previous_copy_and_no_staging_file(tmp_path, monkeypatch):
    database = tmp_path / "w.duckdb"
    warehouse.connect(database).close()
    publish_snapshot(database)
    previous = snapshot_path_for(database).read_bytes()
    # A copy an earlier run left behind when it died mid-publish.
    (tmp_path / f".{snapshot_path_for(database).name}.99999.tmp").write_bytes(b"half a copy")

    def disk_full(source, target):
        with open(target, "wb") as handle:
            handle.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    with pytest.raises(PublishFailed, match=r"needs [0-9.]+ MB free .* and [0-9.]+ MB are; free some space"):
        publish_snapshot(database)
    assert snapshot_path_for(database).read_bytes() == previous
    assert not list(tmp_path.glob(".*.tmp"))

    monkeypatch.undo()
    assert publish_snapshot(database) == snapshot_path_for(database)
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_older_database_is_migrated_in_place_and_a_newer_one_refused(tmp_path):
    database = tmp_path / "old.duckdb"
    con = duckdb.connect(str(database))
    # The first release's quotes and quote state, with a row already landed.
    con.execute("""create table quotes (quote_id varchar primary key, article_id varchar not null, text varchar not null,
                   start_char integer not null, end_char integer not null, speaker varchar, speaker_entity_id varchar,
                   cue varchar, parent_quote_id varchar, is_partial boolean not null, attribution varchar)""")
    con.execute("create table quote_extraction_state (article_id varchar primary key, content_hash varchar not null, "
                "processed_at timestamp not null)")
    con.execute("insert into quotes values ('q1', 'a1', 'We are ready,', 0, 13, null, null, 'said', null, false, null)")
    con.execute("insert into quote_extraction_state values ('a1', 'h1', '2024-01-01 00:00:00')")
    con.close()

    con = warehouse.connect(database)
    assert con.execute("select quote_id, kind from quotes").fetchall() == [("q1", "direct")]
    assert "rules_version" in [r[0] for r in con.execute("describe internal.quote_extraction_state").fetchall()]
    # The bookkeeping moved out of the analysts' schema, its rows with it.
    assert con.execute("select count(*) from information_schema.tables where table_schema = 'main' "
                       "and table_name = 'quote_extraction_state'").fetchall() == [(0,)]
    assert con.execute("select article_id, content_hash, rules_version from internal.quote_extraction_state").fetchall() \
        == [("a1", "h1", None)]
    con.execute("update internal.warehouse_meta set value = '99' where key = 'schema_version'")
    con.close()
    with pytest.raises(warehouse.IncompatibleWarehouse, match="newer film-news pipeline"):
        warehouse.connect(database)


def test_a_landed_file_emptied_later_keeps_its_article_and_is_reported_once(landing, db_path):
    from .harness import rows, run
    from .newsroom import HARBOR_LIGHTS, news_page, write

    path = write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert run(landing, db_path).success
    path.write_bytes(b"")
    emptied = run(landing, db_path)
    assert emptied.success
    articles = next(e.step_materialization_data.materialization for e in emptied.get_asset_materialization_events()
                    if e.step_materialization_data.materialization.asset_key.to_user_string() == "articles")
    assert articles.metadata["emptied_since_landed"].value == 1
    assert "harbor.html" in articles.metadata["emptied_files"].value
    assert rows(db_path, "select count(*) from articles") == [(1,)]
    assert rows(db_path, "select count(*) from rejected_documents") == [(0,)]
    assert rows(db_path, "select status from internal.source_files") == [("landed",)]
    assert all(c.passed for c in emptied.get_asset_check_evaluations())
    again = run(landing, db_path)
    articles = next(e.step_materialization_data.materialization for e in again.get_asset_materialization_events()
                    if e.step_materialization_data.materialization.asset_key.to_user_string() == "articles")
    assert articles.metadata["emptied_since_landed"].value == 0


@pytest.mark.parametrize("body,reason", [
    ("word " * 70_000, "more than the 60,000 a news article can have"),
    ("Harbor Lights starts in March. " + "x" * 6_000, "without a space"),
])
def test_oversized_articles_are_rejected_with_a_reason(landing, body, reason):
    from pipeline.core.articles import clean_source_files
    from pipeline.core.reading import discover_source_files

    (landing / "huge.txt").write_text("date 2026-10-01\n\n" + body)
    cleaned = clean_source_files([(discover_source_files(landing)[0], None)], warehouse.utc_now())
    assert cleaned.articles.is_empty()
    assert reason in cleaned.rejections["reason"][0]


def test_a_page_that_repeats_its_paragraphs_is_an_article_not_an_index_page():
    from pathlib import Path

    from pipeline.core.cleaning import extract_article
    from pipeline.core.reading import SourceDocument, SourceFile

    paragraph = "<p>The festival opens on Friday with a new film by Celia Brandt in Halifax.</p>"
    page = f"<html><head><title>Festival</title></head><body><article>{paragraph * 6}</article></body></html>"
    document = SourceDocument(SourceFile(Path("/in/x.html"), "x.html", 1, 1), "html", page.encode(), "0" * 64)
    assert "Celia Brandt" in extract_article(document).text


def test_a_page_slower_to_extract_than_the_budget_is_rejected_and_the_batch_goes_on(landing):
    from pipeline.core.articles import clean_source_files
    from pipeline.core.cleaning import ExtractionSettings
    from pipeline.core.reading import discover_source_files

    from .newsroom import HARBOR_LIGHTS, news_page, write

    write(landing, "a-hostile.html", nested_inline_page(6))
    write(landing, "b-harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    settings = ExtractionSettings(time_budget_seconds=2)
    cleaned = clean_source_files([(source, None) for source in discover_source_files(landing)], warehouse.utc_now(), settings)
    (rejection,) = cleaned.rejections.iter_rows(named=True)
    assert rejection["source_path"].endswith("a-hostile.html") and rejection["stage"] == "extract"
    assert "took longer than 2 s" in rejection["reason"]
    assert cleaned.articles["source_path"].to_list() == ["b-harbor.html"]
    assert cleaned.source_files["status"].to_list() == ["rejected", "landed"]


def test_a_page_of_figures_without_words_is_rejected_as_in_no_language_not_as_a_schema_error(landing, db_path):
    from .harness import rows, run
    from .newsroom import HARBOR_LIGHTS, news_page, write

    figures = [" ".join(str(number * 7919 % 1000) for number in range(row, row + 30)) for row in range(0, 150, 30)]
    write(landing, "results.html", news_page("Results", figures))
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert run(landing, db_path).success
    assert rows(db_path, "select count(*) from articles") == [(1,)]
    ((stage, reason),) = rows(db_path, "select stage, reason from rejected_documents")
    assert stage == "validate" and "in no language" in reason and "maintainers" not in reason


def test_a_page_of_one_24_mb_paragraph_is_rejected_as_too_long(landing):
    from pipeline.core.articles import clean_source_files
    from pipeline.core.reading import discover_source_files

    (landing / "book.html").write_text("<html><head><title>All of it</title></head><body><article><p>"
                                       + "and then the ferry left again " * 800_000 + "</p></article></body></html>")
    cleaned = clean_source_files([(discover_source_files(landing)[0], None)], warehouse.utc_now())
    (rejection,) = cleaned.rejections.iter_rows(named=True)
    assert rejection["stage"] == "validate"
    assert "24.0 MB of text in one piece" in rejection["reason"] and "no article text" not in rejection["reason"]
