"""SQL models: parsed upstreams, dbt-style tests as asset checks, and the analyst's questions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster import materialize

from pipeline import warehouse
from pipeline.defs.analytics.sql_models import PIPELINE_TABLES, build_model_definitions
from pipeline.core.sql_models import ModelError, load_models, tables_read
from pipeline.definitions import build_resources

from .harness import rows, run
from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, news_page, text_article, write

PROJECT = Path(__file__).resolve().parents[1]


def test_upstreams_are_parsed_from_the_sql_without_ctes():
    sql = "with recent as (select * from articles where published_date > '2026-01-01') select * from recent join mentions using (article_id)"
    assert tables_read(sql) == {"articles", "mentions"}
    models = {m.name: m for m in load_models(PROJECT / "dbt_like_sql", PIPELINE_TABLES)}
    assert models["most_quoted_people_per_title"].upstream == ["entities", "quotes_about_titles"]
    assert models["title_mentions_daily"].upstream == ["articles", "entities", "mentions"]


def test_a_model_reading_an_unknown_table_fails_at_load_time_with_the_file_and_table(tmp_path):
    (tmp_path / "buzz.sql").write_text("select * from articels")
    (tmp_path / "buzz.yml").write_text("description: typo in the table name\n")
    with pytest.raises(ModelError, match=r"buzz\.sql: reads 'articels'"):
        build_model_definitions(tmp_path)


def test_a_model_needs_a_description_and_one_select(tmp_path):
    (tmp_path / "bare.sql").write_text("select 1 as one")
    with pytest.raises(ModelError, match="needs a description"):
        load_models(tmp_path, PIPELINE_TABLES)
    (tmp_path / "bare.yml").write_text("description: two statements\n")
    (tmp_path / "bare.sql").write_text("delete from articles; select 1")
    with pytest.raises(ModelError, match="exactly one SELECT"):
        load_models(tmp_path, PIPELINE_TABLES)


def test_dbt_style_tests_run_as_checks_and_catch_bad_rows(tmp_path):
    (tmp_path / "article_sites.sql").write_text("select article_id, site, language from articles")
    (tmp_path / "article_sites.yml").write_text(
        "description: sites per article\n"
        "columns:\n"
        "  article_id: {tests: [not_null, unique, {relationships: {to: articles, field: article_id}}]}\n"
        "  site: {tests: [not_null]}\n"
        "  language: {tests: [{accepted_values: [en, de]}]}\n"
        "tests:\n"
        "  - assertion: {name: no_test_sites, sql: \"select * from article_sites where site = 'test'\"}\n"
    )
    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    con.execute("""insert into articles (article_id, source_path, site, language, text, word_count, content_hash, ingested_at)
                   values ('a', 'a.html', 'Reel Ledger', 'en', 'x', 1, 'h', now()),
                          ('b', 'b.html', null, 'fr', 'x', 1, 'h', now()),
                          ('c', 'c.html', 'test', 'en', 'x', 1, 'h', now())""")
    con.close()
    models, asset = build_model_definitions(tmp_path)
    result = materialize([asset], resources=build_resources(str(db), str(tmp_path)), raise_on_error=False)
    # All the model's tests are one check, which fails naming the tests that failed, with their counts.
    [check] = result.get_asset_check_evaluations()
    assert (check.check_name, check.asset_key.to_user_string(), check.passed) == ("yaml_tests", "article_sites", False)
    assert check.description == ("3 of 6 tests failed: site_not_null (1 row), language_accepted_values (1 row), "
                                 "no_test_sites (1 row)")
    assert check.metadata["problem_rows_by_test"].value == {
        "article_id_not_null": 0,
        "article_id_unique": 0,
        "article_id_in_articles": 0,
        "site_not_null": 1,
        "language_accepted_values": 1,
        "no_test_sites": 1,
    }
    assert check.metadata["failed_tests"].value == "site_not_null, language_accepted_values, no_test_sites"
    # The sample shows each failed test's rows: the article without a site, the one in French.
    sample = check.metadata["sample"].value
    assert "**site_not_null**" in sample and "| b |" in sample.split("**language_accepted_values**")[0]
    assert "| fr |" in sample.split("**language_accepted_values**")[1].split("**no_test_sites**")[0]


def test_a_model_whose_tests_pass_has_a_passing_check(tmp_path):
    (tmp_path / "article_sites.sql").write_text("select article_id, site from articles")
    (tmp_path / "article_sites.yml").write_text(
        "description: sites per article\n"
        "columns:\n"
        "  article_id: {tests: [not_null, unique]}\n")
    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    con.execute("""insert into articles (article_id, source_path, site, language, text, word_count, content_hash, ingested_at)
                   values ('a', 'a.html', 'Reel Ledger', 'en', 'x', 1, 'h', now())""")
    con.close()
    _, asset = build_model_definitions(tmp_path)
    result = materialize([asset], resources=build_resources(str(db), str(tmp_path)), raise_on_error=False)
    [check] = result.get_asset_check_evaluations()
    assert check.passed and check.description == "all 2 tests passed"
    assert check.metadata["problem_rows_by_test"].value == {"article_id_not_null": 0, "article_id_unique": 0}


def test_models_build_after_the_python_assets_and_answer_the_analysts_questions(landing, db_path):
    write(landing, "a.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS, published="2026-11-20T10:00:00+00:00"))
    write(landing, "b.txt", text_article("2026-11-22", HARBOR_LIGHTS_INTERVIEW))
    result = run(landing, db_path)
    assert result.success
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert not failed
    buzz = rows(db_path, "select title, day::varchar, mentions from title_mentions_daily where title = 'Harbor Lights' order by day")
    # Counted where the article itself makes it a title (no type is borrowed across articles).
    assert ("Harbor Lights", "2026-11-20") in [(t, d) for t, d, _ in buzz]
    said = rows(db_path, "select speaker, title from quotes_about_titles where speaker = 'Celia Brandt'")
    assert ("Celia Brandt", "Harbor Lights") in said
    assert rows(db_path, "select count(*) from outlet_coverage")[0][0] == 2

    # `film-news sql` reads the published snapshot: which titles were mentioned most this week?
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "sql", "--db", str(db_path),
         "select title, sum(mentions) as mentions from title_mentions_daily "
         "where day > (select max(day) from title_mentions_daily) - interval 7 day group by title order by mentions desc, title"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    table_rows = [line for line in done.stdout.splitlines() if line.startswith("│") and "varchar" not in line and "title" not in line]
    assert any("Harbor Lights" in line for line in table_rows), done.stdout


SPLIT_QUOTE = [
    "Director Celia Brandt finished shooting the drama Harbor Lights in Toronto this week.",
    "“We lost two days to the storm,” Brandt said. “But the ferry scenes are the best thing in the film.”",
    "Northgate will release the drama in March.",
]


def test_statements_join_a_split_quote_and_copies_count_once(landing, db_path):
    write(landing, "original.html", news_page("Brandt Wraps Harbor Lights", SPLIT_QUOTE, published="2026-11-20T10:00:00+00:00"))
    write(landing, "copy.html", news_page("Brandt Wraps Harbor Lights", SPLIT_QUOTE, site="Screen Wire",
                                          published="2026-11-21T10:00:00+00:00", variant=1))
    result = run(landing, db_path)
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    statements = rows(db_path, "select speaker, parts, text, is_syndicated_copy from statements order by is_syndicated_copy")
    assert [(s, p, c) for s, p, _, c in statements] == [("Celia Brandt", 2, False), ("Celia Brandt", 2, True)]
    assert statements[0][2] == "We lost two days to the storm, But the ferry scenes are the best thing in the film."
    # What did Brandt say about Harbor Lights, as statements, originals only: one short query.
    said = rows(db_path, "select text from statements where speaker = 'Celia Brandt' "
                         "and list_contains(titles, 'Harbor Lights') and not is_syndicated_copy")
    assert len(said) == 1
    # Counts leave the copy out; the quote views carry the column to choose.
    assert rows(db_path, "select direct_quotes, statements, articles from quotes_per_speaker "
                         "where speaker = 'Celia Brandt'") == [(2, 1, 1)]
    assert rows(db_path, "select count(*), count(*) filter (where is_syndicated_copy) from quotes_about_titles "
                         "where speaker = 'Celia Brandt'")[0][1] > 0
    coverage = dict((site, (articles, copies)) for site, articles, copies in rows(
        db_path, "select site, articles, syndicated_copies from title_coverage_by_outlet where title = 'Harbor Lights'"))
    assert coverage == {"The Daily Reel": (1, 0), "Screen Wire": (0, 1)}
    weekly = rows(db_path, "select week::varchar, mentions, change_on_previous_week from title_mentions_weekly "
                           "where title = 'Harbor Lights'")
    assert weekly == [("2026-11-16", weekly[0][1], weekly[0][1])], "the week of 20 November starts on Monday the 16th"


def test_sql_on_the_snapshot_is_read_only_with_a_clear_message(landing, db_path):
    write(landing, "a.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert run(landing, db_path).success
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "sql", "--db", str(db_path), "delete from articles"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "read-only" in done.stderr
    assert duckdb.connect(str(db_path), read_only=True).execute("select count(*) from articles").fetchall() == [(1,)]


def test_data_dictionary_is_generated_from_schemas_and_models_and_up_to_date(tmp_path):
    from pipeline.definitions import SQL_MODELS
    from pipeline.dictionary import data_dictionary

    text = data_dictionary(SQL_MODELS)
    for needle in ("### articles", "| duplicate_of |", "### quotes_about_titles", "| how_linked |"):
        assert needle in text
    committed = (PROJECT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert committed == text, "docs/DATA_DICTIONARY.md is stale: run `make docs`"


def test_an_unquoted_comma_in_a_column_description_is_an_error_not_a_cut(tmp_path):
    from pipeline.core.sql_models import ModelError, load_models

    (tmp_path / "copies.sql").write_text("select article_id from articles")
    (tmp_path / "copies.yml").write_text(
        "description: Copies.\ncolumns:\n  article_id: {description: Articles landed, of those the copies.}\n")
    with pytest.raises(ModelError, match="unknown key.*Quote a description that holds a comma"):
        load_models(tmp_path, {"articles"})
    (tmp_path / "copies.yml").write_text(
        'description: Copies.\ncolumns:\n  article_id: {description: "Articles landed, of those the copies."}\n')
    (model,) = load_models(tmp_path, {"articles"})
    assert model.columns["article_id"]["description"] == "Articles landed, of those the copies."
