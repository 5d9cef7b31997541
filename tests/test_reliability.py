"""Failures that must leave the data intact and say what went wrong."""

from __future__ import annotations

import errno
import shutil

import duckdb
import polars as pl
import pytest

from pipeline import warehouse
from pipeline.warehouse import PublishFailed, publish_snapshot, snapshot_path_for


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
            warehouse.upsert_rejections(con, rejection)
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
    con.close()

    con = warehouse.connect(database)
    assert con.execute("select quote_id, kind from quotes").fetchall() == [("q1", "direct")]
    assert "rules_version" in [r[0] for r in con.execute("describe quote_extraction_state").fetchall()]
    con.execute("update warehouse_meta set value = '99' where key = 'schema_version'")
    con.close()
    with pytest.raises(warehouse.IncompatibleWarehouse, match="newer film-news pipeline"):
        warehouse.connect(database)
