"""The ingest assets through dagster.materialize on a real DuckDB file in a temporary folder."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import duckdb
import pytest

from pipeline.core.cleaning import ExtractionSettings
from pipeline.defs.ingest import assets as ingest_assets
from pipeline.defs.ingest import store as ingest_store
from pipeline.definitions import ALL_CHECKS, SQL_MODELS

from .harness import rows, run
from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, news_page, text_article, write


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    return {
        "articles": rows(db_path, "select * exclude (italic_spans) from articles order by article_id"),
        "rejected_documents": rows(db_path, "select * from rejected_documents order by source_path"),
        "source_files": rows(db_path, "select * from internal.source_files order by relative_path"),
    }


@pytest.fixture
def newsroom_folder(landing: Path) -> Path:
    write(landing, "2026-10-02/daily-reel-harbor-lights.html",
          news_page("Harbor Lights Sets March Start in Halifax", HARBOR_LIGHTS, site="The Daily Reel",
                    published="2026-10-02T10:00:00+00:00", canonical="https://dailyreel.example/harbor-lights"))
    write(landing, "2026-10-03/screen-wire-harbor-lights.html.gz",
          news_page("Northgate's Harbor Lights Rolls in March", HARBOR_LIGHTS[:4] + HARBOR_LIGHTS[5:], site="Screen Wire",
                    author="Wire Staff", published="2026-10-03T08:00:00+00:00", variant=1))
    write(landing, "2026-10-04/cinema-quarterly-brandt.htm",
          news_page("Celia Brandt Won't Talk About Harbor Lights", HARBOR_LIGHTS_INTERVIEW, site="Cinema Quarterly",
                    published="2026-10-04T12:00:00+00:00"))
    write(landing, "2026-10-05/newsroom-export.txt", text_article("2026-10-05", HARBOR_LIGHTS_INTERVIEW[:2]))
    write(landing, "2026-10-05/empty.html", "")
    write(landing, "2026-10-05/signup.html", "<html><body><nav>Home</nav><form><input></form></body></html>")
    write(landing, "2026-10-05/garbled.txt", b"\x81\x8d\x8f\x90 \xc3 not text")
    write(landing, "2026-10-05/poster.html", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    return landing


def test_materialize_lands_articles_and_rejections_and_checks_pass(newsroom_folder, db_path):
    result = run(newsroom_folder, db_path)
    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations())
    # The standalone checks, plus one check a tested SQL model (all its tests) in the models' step.
    assert len(result.get_asset_check_evaluations()) == sum(len(c.check_keys) for c in ALL_CHECKS) + sum(1 for m in SQL_MODELS if m.tests)

    articles = {r[0]: r for r in rows(db_path, "select source_path, site, published_date::varchar, language, duplicate_of, "
                                               "article_id, word_count from articles")}
    names = {Path(p).name: r for p, r in articles.items()}
    assert set(names) == {"daily-reel-harbor-lights.html", "screen-wire-harbor-lights.html.gz",
                          "cinema-quarterly-brandt.htm", "newsroom-export.txt"}
    original, copy = names["daily-reel-harbor-lights.html"], names["screen-wire-harbor-lights.html.gz"]
    assert copy[4] == original[5], "the wire copy points at the original"
    assert original[4] is None and names["cinema-quarterly-brandt.htm"][4] is None
    assert names["newsroom-export.txt"][2] == "2026-10-05"
    assert all(r[3] == "en" for r in names.values())

    rejected = {Path(p).name: (stage, reason) for p, stage, reason in rows(db_path, "select source_path, stage, reason from rejected_documents")}
    assert set(rejected) == {"empty.html", "signup.html", "garbled.txt", "poster.html"}
    assert rejected["empty.html"][0] == "read" and "empty" in rejected["empty.html"][1]
    assert rejected["garbled.txt"][0] == "decode"
    assert rejected["signup.html"][0] == "extract"
    assert "PNG" in rejected["poster.html"][1]


def test_materialization_reports_counts_and_a_preview(newsroom_folder, db_path):
    result = run(newsroom_folder, db_path)
    metadata = {
        event.step_materialization_data.materialization.asset_key.to_user_string(): event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    assert metadata["articles"]["dagster/row_count"].value == 4
    assert metadata["articles"]["duplicates_found"].value == 1
    assert "Harbor Lights" in metadata["articles"]["newest_rows"].value
    assert metadata["rejected_documents"]["dagster/row_count"].value == 4


def test_rerun_on_the_same_input_changes_nothing(newsroom_folder, db_path):
    assert run(newsroom_folder, db_path).success
    before = snapshot(db_path)
    second = run(newsroom_folder, db_path)
    assert second.success
    assert snapshot(db_path) == before
    metadata = second.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
    assert metadata["files_processed"].value == 0


def test_only_new_and_changed_files_are_processed(newsroom_folder, db_path):
    assert run(newsroom_folder, db_path).success
    before = {r[0]: r for r in rows(db_path, "select article_id, content_hash, ingested_at from articles")}
    interview = newsroom_folder / "2026-10-04/cinema-quarterly-brandt.htm"
    interview.write_text(interview.read_text().replace("ferries, weather", "ferries, tides, weather"))
    touched = newsroom_folder / "2026-10-02/daily-reel-harbor-lights.html"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    write(newsroom_folder, "2026-10-06/new.txt", text_article("2026-10-06", HARBOR_LIGHTS[2:5]))

    result = run(newsroom_folder, db_path)
    assert result.success
    metadata = result.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
    assert metadata["files_processed"].value == 3
    assert metadata["unchanged_files"].value == 1
    after = {r[0]: r for r in rows(db_path, "select article_id, content_hash, ingested_at from articles")}
    assert len(after) == len(before) + 1
    changed = [a for a in before if before[a][1] != after[a][1]]
    assert len(changed) == 1, "the edited interview is re-cleaned under the same article_id"
    untouched = [a for a in before if a not in changed]
    assert all(before[a] == after[a] for a in untouched), "the touched-but-identical file is not rewritten"


def test_a_changed_cleaning_reads_the_landed_files_again_once(newsroom_folder, db_path, monkeypatch):
    assert run(newsroom_folder, db_path).success
    before = dict(rows(db_path, "select source_path, text from articles"))
    # Another cleaning: the headline is no longer dropped from the body. No file changed.
    monkeypatch.setattr(ingest_assets, "ExtractionSettings", functools.partial(ExtractionSettings, drop_leading_headline=False))

    result = run(newsroom_folder, db_path)
    assert result.success
    metadata = result.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
    # Every file with content, landed or rejected; the empty one has nothing to read again.
    assert metadata["recleaned_for_new_cleaning"].value == metadata["files_processed"].value == 7
    after = dict(rows(db_path, "select source_path, text from articles"))
    assert set(after) == set(before)
    wire_copy = "2026-10-03/screen-wire-harbor-lights.html.gz"  # the page whose body repeats its headline
    assert after[wire_copy].startswith("Northgate's Harbor Lights Rolls in March")
    assert not before[wire_copy].startswith("Northgate's Harbor Lights Rolls in March")
    assert all(after[path] == before[path] for path in before if path != wire_copy)

    settled = snapshot(db_path)
    third = run(newsroom_folder, db_path)
    assert third.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata["files_processed"].value == 0
    assert snapshot(db_path) == settled


def test_fixing_a_rejected_file_lands_it_and_clears_the_rejection(newsroom_folder, db_path):
    assert run(newsroom_folder, db_path).success
    write(newsroom_folder, "2026-10-05/empty.html", news_page("Harbor Lights Casting", HARBOR_LIGHTS[3:]))
    assert run(newsroom_folder, db_path).success
    assert not rows(db_path, "select * from rejected_documents where source_path like '%empty.html'")
    assert rows(db_path, "select title from articles where source_path like '%empty.html'") == [("Harbor Lights Casting",)]


def test_a_run_that_fails_midway_leaves_the_previous_state(newsroom_folder, db_path, monkeypatch):
    assert run(newsroom_folder, db_path).success
    before = snapshot(db_path)
    for day in range(10, 16):
        write(newsroom_folder, f"2026-10-{day}/story.txt", text_article(f"2026-10-{day}", [HARBOR_LIGHTS[day % 6], HARBOR_LIGHTS[(day + 1) % 6]]))

    calls = {"n": 0}
    real_upsert = ingest_store.upsert_source_files

    def crash_on_third_batch(con, records, cleaning_version):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full (simulated)")
        return real_upsert(con, records, cleaning_version)

    monkeypatch.setattr(ingest_store, "upsert_source_files", crash_on_third_batch)
    result = run(newsroom_folder, db_path, batch_size=2)
    assert not result.success
    assert calls["n"] == 3, "two batches were written inside the transaction before the crash"
    assert snapshot(db_path) == before

    monkeypatch.setattr(ingest_store, "upsert_source_files", real_upsert)
    assert run(newsroom_folder, db_path, batch_size=2).success
    assert len(snapshot(db_path)["articles"]) == len(before["articles"]) + 6


def test_full_refresh_rebuilds_the_same_rows(newsroom_folder, db_path):
    assert run(newsroom_folder, db_path).success
    ids_before = rows(db_path, "select article_id, duplicate_of, content_hash from articles order by article_id")
    result = run(newsroom_folder, db_path, full_refresh=True)
    assert result.success
    metadata = result.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
    assert metadata["files_processed"].value == 8
    assert rows(db_path, "select article_id, duplicate_of, content_hash from articles order by article_id") == ids_before


def test_earlier_original_arriving_after_its_copy_takes_over_the_cluster(landing, db_path):
    write(landing, "b/copy.html", news_page("Harbor Lights Rolls", HARBOR_LIGHTS[:5], site="Screen Wire",
                                            published="2026-10-03T08:00:00+00:00", variant=1))
    assert run(landing, db_path).success
    write(landing, "a/original.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS, site="The Daily Reel",
                                                published="2026-10-02T08:00:00+00:00"))
    result = run(landing, db_path)
    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations())
    got = dict(rows(db_path, "select regexp_extract(source_path, '[a-z]+\\.html$'), duplicate_of from articles"))
    original_id = rows(db_path, "select article_id from articles where source_path like '%original.html'")[0][0]
    assert got == {"original.html": None, "copy.html": original_id}


def test_schema_check_fails_on_a_row_damaged_outside_the_pipeline(newsroom_folder, db_path):
    assert run(newsroom_folder, db_path).success
    con = duckdb.connect(str(db_path))
    con.execute("update articles set language = 'english' where source_path like '%newsroom-export.txt'")
    con.close()
    # Nothing new to ingest: the run only re-checks what is landed.
    checks = {e.check_name: e.passed for e in run(newsroom_folder, db_path).get_asset_check_evaluations()}
    assert checks["articles_match_schema"] is False
    assert checks["every_file_accounted_for"] is True


def test_a_rejection_lost_outside_the_pipeline_fails_the_file_accounting_and_names_the_file(newsroom_folder, db_path):
    assert run(newsroom_folder, db_path).success
    con = duckdb.connect(str(db_path))
    con.execute("delete from rejected_documents where source_path = '2026-10-05/poster.html'")
    con.close()
    accounting = next(e for e in run(newsroom_folder, db_path).get_asset_check_evaluations()
                      if e.check_name == "every_file_accounted_for")
    assert accounting.passed is False
    assert accounting.metadata["rejected_without_reason"].value == 1
    assert "2026-10-05/poster.html" in accounting.metadata["sample"].value
