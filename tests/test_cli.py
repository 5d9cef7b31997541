"""The command line a user (and ../shared/eval/evaluate.sh) runs: film-news run --input DIR --db PATH."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.warehouse import SCHEMA_VERSION

from .harness import FILM_NEWS, SHARED, film_news
from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, news_page, text_article, write

def count(db_path: Path, table: str) -> int:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()


def test_run_lands_the_folder_and_prints_what_landed(landing, db_path):
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    write(landing, "brandt.txt", text_article("2026-10-05", HARBOR_LIGHTS_INTERVIEW))
    (landing / "broken.html.gz").write_bytes(b"not gzip at all")
    done = film_news("run", "--input", str(landing), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert "2 articles landed" in done.stdout
    assert "1 rejected" in done.stdout
    assert "Harbor Lights Sets March Start" in done.stdout
    assert "not valid gzip" in done.stdout
    assert count(db_path, "articles") == 2

    again = film_news("run", "--input", str(landing), "--db", str(db_path))
    assert again.returncode == 0
    assert "0 of 3 files processed" in again.stdout
    assert count(db_path, "articles") == 2 and count(db_path, "rejected_documents") == 1


def test_output_piped_into_a_reader_that_stops_early_ends_quietly_and_keeps_the_run(landing, db_path):
    # `film-news run … | head -3`: the reader goes away before the summary is written.
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    process = subprocess.Popen([*FILM_NEWS, "run", "--input", str(landing), "--db", str(db_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    assert count(db_path, "articles") == 1  # the run itself landed


def test_settings_come_from_the_environment_when_flags_are_absent(landing, db_path):
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    done = film_news("run", env={"FILM_NEWS_LANDING": str(landing), "FILM_NEWS_DB": str(db_path)})
    assert done.returncode == 0, done.stderr
    assert count(db_path, "articles") == 1


def test_a_dagster_home_that_does_not_exist_yet_is_created_and_records_the_run(landing, db_path, tmp_path):
    # A fresh checkout: `make` points DAGSTER_HOME at .dagster_home before anything made it.
    home = tmp_path / "fresh" / ".dagster_home"
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    done = film_news("run", "--input", str(landing), "--db", str(db_path), env={"DAGSTER_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert home.is_dir()
    check = subprocess.run(
        [sys.executable, "-c", "from dagster import DagsterInstance; i = DagsterInstance.get(); "
                               "print([r.tags.get('film_news/trigger') for r in i.get_runs()])"],
        capture_output=True, text=True, env={**os.environ, "DAGSTER_HOME": str(home)}, timeout=120)
    assert check.stdout.strip() == "['cli']", check.stderr


def test_missing_input_folder_is_a_clear_error(tmp_path, db_path):
    done = film_news("run", "--input", str(tmp_path / "nowhere"), "--db", str(db_path))
    assert done.returncode == 2
    assert "does not exist" in done.stderr
    assert not db_path.exists()


def test_a_run_killed_midway_leaves_the_previous_state(landing, db_path):
    write(landing, "first.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert film_news("run", "--input", str(landing), "--db", str(db_path)).returncode == 0
    for i in range(40):
        write(landing, f"more/{i:03d}.txt", text_article("2026-10-07", [f"Story number {i}. " + p for p in HARBOR_LIGHTS_INTERVIEW]))
    process = subprocess.Popen(
        [*FILM_NEWS, "run", "--input", str(landing), "--db", str(db_path), "--batch-size", "2", "--log-level", "INFO"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    # Kill it as soon as it reports a written batch: the run's transaction is open, not committed.
    deadline = time.monotonic() + 120
    for line in process.stdout:
        if "batch of 2 files written" in line or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert count(db_path, "articles") == 1
    assert count(db_path, "internal.source_files") == 1

    finished = film_news("run", "--input", str(landing), "--db", str(db_path))
    assert finished.returncode == 0, finished.stderr
    assert count(db_path, "articles") == 41


@pytest.mark.skipif(not (SHARED / "eval" / "seed").is_dir(), reason="../shared/eval/seed is not beside the project")
def test_seed_article_lands_with_its_date_and_language(tmp_path, db_path):
    seed_input = tmp_path / "seed"
    seed_input.mkdir()
    for source in (SHARED / "eval" / "seed").glob("*.txt"):
        (seed_input / source.name).write_bytes(source.read_bytes())
    done = film_news("run", "--input", str(seed_input), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (published, language, text), = con.execute("select published_date::varchar, language, text from articles").fetchall()
    finally:
        con.close()
    assert (published, language) == ("2023-11-28", "en")
    assert not text.lstrip().startswith("date")


def test_a_failed_check_is_listed_with_its_problem_rows_and_exit_code_1(landing, db_path):
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert film_news("run", "--input", str(landing), "--db", str(db_path)).returncode == 0
    # Damage done outside the pipeline: a copy pointing at an article that does not exist.
    con = duckdb.connect(str(db_path))
    con.execute("update articles set duplicate_of = 'no-such-article'")
    con.close()
    done = film_news("run", "--input", str(landing), "--db", str(db_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "asset check(s) failed" in done.stderr
    assert "articles_have_no_orphans on articles: 1 problem row(s)" in done.stderr
    assert "duplicate_of names a missing article" in done.stderr
    # The checks block: the read copy keeps the last good run.
    assert "the read copy was not published" in done.stderr
    from pipeline.warehouse import snapshot_path_for

    assert count(snapshot_path_for(db_path), "articles") == 1
    con = duckdb.connect(str(snapshot_path_for(db_path)), read_only=True)
    assert con.execute("select duplicate_of from articles").fetchall() == [(None,)]
    con.close()


SQL_ESCAPES = [
    "ATTACH '{main}' AS w (READ_WRITE); DELETE FROM w.articles",
    "COPY (SELECT 42 AS x) TO '{main}' (FORMAT csv)",
    "COPY articles TO '{outside}' (FORMAT csv)",
    "EXPORT DATABASE '{outside}'",
    "INSTALL fts",
    "LOAD fts",
    "select * from read_text('/etc/passwd')",
    "select * from read_csv('{main}')",
    "SET enable_external_access = true; ATTACH '{main}' AS w (READ_WRITE); DELETE FROM w.articles",
    "RESET enable_external_access; COPY (SELECT 42 AS x) TO '{main}' (FORMAT csv)",
    "SET lock_configuration = false",
    "DELETE FROM articles",
    "DROP TABLE articles",
]


@pytest.fixture(scope="module")
def published_warehouse(tmp_path_factory):
    """One landed article and its published read copy, shared by the SQL-command tests."""
    root = tmp_path_factory.mktemp("published")
    landing, db_path = root / "landing", root / "warehouse" / "film_news.duckdb"
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    done = film_news("run", "--input", str(landing), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    return db_path


@pytest.mark.parametrize("statement", SQL_ESCAPES)
def test_the_sql_command_cannot_change_any_file_or_read_outside_the_dataset(published_warehouse, tmp_path, statement):
    from pipeline.warehouse import snapshot_path_for

    db_path = published_warehouse
    snapshot = snapshot_path_for(db_path)
    before = {path: path.read_bytes() for path in (db_path, snapshot)}
    outside = tmp_path / "exported"
    done = film_news("sql", "--db", str(db_path), statement.format(main=db_path, outside=outside))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "root:" not in done.stdout
    assert {path: path.read_bytes() for path in before} == before
    assert not outside.exists()
    assert count(snapshot, "articles") == 1


def test_the_sql_command_still_answers_queries(published_warehouse):
    done = film_news("sql", "--db", str(published_warehouse), "select count(*) as n from articles")
    assert done.returncode == 0, done.stderr
    assert "1" in done.stdout


def test_the_sql_prompt_has_help_schema_and_a_statement_split_over_lines(published_warehouse, tmp_path):
    session = ".help\n.schema statements\n.tables\nselect count(*)\n  as n from articles;\n.nonsense\n.quit\n"
    done = subprocess.run([*FILM_NEWS, "sql", "--db", str(published_warehouse)], input=session, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert ".schema TABLE" in done.stdout, "the help lists the commands"
    assert "part_quote_ids" in done.stdout and "VARCHAR[]" in done.stdout, "the columns of a view, DuckDB types"
    assert "quotes_per_speaker" in done.stdout, ".tables lists the views"
    assert "continuation" not in done.stdout and "...>" in done.stdout, "a statement runs over two lines"
    assert done.stdout.count(".schema TABLE") == 3, "an unknown command prints the help again"


def test_fetch_with_nothing_configured_says_why(tmp_path):
    (tmp_path / "outlets.yaml").write_text("outlets: []\n")
    done = film_news("fetch", "--day", "2026-11-20", env={"FILM_NEWS_OUTLETS": str(tmp_path / "outlets.yaml"),
                                                            "FILM_NEWS_WARC": str(tmp_path / "no-archives")})
    assert done.returncode == 0
    assert "nothing to gather" in done.stderr and "FILM_NEWS_OUTLETS" in done.stderr


def published_state(db_path: Path) -> tuple[int, int]:
    """The read copy's identity on disk: replaced by every publish, never written in place."""
    from pipeline.warehouse import snapshot_path_for

    status = snapshot_path_for(db_path).stat()
    return status.st_ino, status.st_mtime_ns


def land_a_folder_with_one_rejection(landing: Path, db_path: Path) -> None:
    write(landing, "2026-10-02/harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    # Read whole (so its hash is recorded), then rejected: no article in it.
    write(landing, "2026-10-02/signup.html", "<html><body><nav>Home</nav><form><input></form></body></html>")
    done = film_news("run", "--input", str(landing), "--db", str(db_path))
    assert done.returncode == 0, done.stderr


def test_a_copied_landing_folder_is_the_same_documents_and_the_run_on_it_publishes(landing, db_path, tmp_path):
    land_a_folder_with_one_rejection(landing, db_path)
    published = published_state(db_path)
    copy = tmp_path / "landing-copy"
    subprocess.run(["cp", "-r", str(landing), str(copy)], check=True)  # new path, new modification times

    done = film_news("run", "--input", str(copy), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert "check(s) failed" not in done.stderr
    assert published_state(db_path) != published, "the read copy was published again"
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rejected = con.execute("select source_path, stage from rejected_documents").fetchall()
        articles = con.execute("select source_path from articles").fetchall()
    finally:
        con.close()
    # Named by their place in the landing folder, wherever the folder is.
    assert rejected == [("2026-10-02/signup.html", "extract")]
    assert articles == [("2026-10-02/harbor.html",)]


def test_a_warehouse_of_the_older_layout_keeps_working_on_a_copied_folder(landing, db_path, tmp_path):
    """Layout 4 named documents by absolute path; a folder copied before the upgrade had left a
    rejection under the old location, failing every_file_accounted_for on every run."""
    land_a_folder_with_one_rejection(landing, db_path)
    copy = tmp_path / "landing-copy"
    subprocess.run(["cp", "-r", str(landing), str(copy)], check=True)
    con = duckdb.connect(str(db_path))
    con.execute("update internal.warehouse_meta set value = '4' where key = 'schema_version'")
    con.execute("update articles set source_path = ? || '/' || source_path", [str(landing)])
    con.execute("update rejected_documents set source_path = ? || '/' || source_path", [str(landing)])
    con.execute("update internal.source_files set source_path = ? || '/' || relative_path", [str(copy)])
    con.close()

    done = film_news("run", "--input", str(copy), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert con.execute("select source_path from rejected_documents").fetchall() == [("2026-10-02/signup.html",)]
        assert con.execute("select source_path from articles").fetchall() == [("2026-10-02/harbor.html",)]
        assert con.execute("select distinct source_path = relative_path from internal.source_files").fetchall() == [(True,)]
        assert con.execute("select value from internal.warehouse_meta where key = 'schema_version'").fetchall() == [(str(SCHEMA_VERSION),)]
    finally:
        con.close()


def files_under(*folders: Path) -> dict[Path, int]:
    return {path: path.stat().st_size for folder in folders for path in folder.rglob("*")}


# The two statements of issue 21.5: DuckDB's temp directory (NAME.tmp beside the database) was writable.
WRITES_INTO_THE_TEMP_DIRECTORY = [
    "EXPORT DATABASE '{data}/film_news.read.duckdb.tmp'",
    "COPY (select repeat('A', 1048576) from range(3)) TO '{data}/film_news.read.duckdb.tmp/fill.csv'",
]


@pytest.mark.parametrize("statement", WRITES_INTO_THE_TEMP_DIRECTORY)
def test_the_sql_command_writes_no_file_in_the_data_folder_or_the_temp_directory(published_warehouse, tmp_path, statement):
    from pipeline import warehouse

    data, temp = published_warehouse.parent, tmp_path / "tmp"
    temp.mkdir()
    before = files_under(data, temp)
    done = film_news("sql", "--db", str(published_warehouse), statement.format(data=data), env={"TMPDIR": str(temp)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "COPY and EXPORT DATABASE are refused" in done.stderr and "--format csv" in done.stderr
    assert files_under(data, temp) == before

    # The connection is sealed on its own, whatever the command lets through.
    con = warehouse.connect(warehouse.snapshot_path_for(published_warehouse), read_only=True)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(statement.format(data=data))
    finally:
        con.close()
    assert files_under(data, temp) == before


def test_the_sql_command_shows_duckdbs_whole_error_without_a_traceback(published_warehouse):
    misspelt_table = film_news("sql", "--db", str(published_warehouse), "select * from article")
    assert misspelt_table.returncode == 1
    assert 'Did you mean "articles"?' in misspelt_table.stderr
    misspelt_column = film_news("sql", "--db", str(published_warehouse), "select titel from articles")
    assert 'Candidate bindings: "title"' in misspelt_column.stderr
    assert "Traceback" not in misspelt_table.stderr + misspelt_column.stderr


def test_the_sql_command_reads_the_read_copy_when_given_it(published_warehouse):
    from pipeline.warehouse import snapshot_path_for

    done = film_news("sql", "--db", str(snapshot_path_for(published_warehouse)), "select title from articles")
    assert done.returncode == 0, done.stderr
    assert "Harbor Lights Sets March Start" in done.stdout


def test_the_sql_command_writes_csv_with_every_row_and_value_whole(published_warehouse):
    done = film_news("sql", "--db", str(published_warehouse), "--format", "csv", "--max-rows", "1",
                     "select range as n, null as nothing, [range, 7] as pair, repeat('word ', 100) as long "
                     "from range(3) order by n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "n,nothing,pair,long"
    assert lines[1] == "0,,\"[0, 7]\"," + "word " * 99 + "word "
    assert len(lines) == 4, "every row, whatever --max-rows says"


def test_a_table_wraps_long_cells_between_words_and_says_when_rows_are_left_out(published_warehouse):
    sentence = ("Dana Whitlock said the production would move to the harbor in March, when the weather turns "
                "and the light is right for the long night scenes")
    done = film_news("sql", "--db", str(published_warehouse), "--max-rows", "2",
                     f"select '{sentence}' as quote, range as n from range(3)", env={"COLUMNS": "60"})
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 60
    shown = done.stdout.split()
    assert all(word in shown for word in sentence.split()), "no word is cut in two"
    assert "2 rows shown, and there are more" in done.stdout


def test_the_sql_help_says_what_each_option_does():
    done = film_news("sql", "--help")
    assert "rows of a result shown as a table" in done.stdout
    assert "--format {table,csv}" in done.stdout and "its read copy" in done.stdout


def truncated_to_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def header_overwritten(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(b"\x00garbled" * 1024)


def block_overwritten(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.seek(4096)  # the second header block: its checksum no longer matches
        handle.write(b"\x00garbled" * 1024)


@pytest.mark.parametrize("damage", [truncated_to_half, header_overwritten, block_overwritten])
def test_a_damaged_warehouse_says_so_and_how_to_recover_and_the_read_copy_is_untouched(published_warehouse, tmp_path, damage):
    from pipeline.warehouse import snapshot_path_for

    landing = published_warehouse.parent.parent / "landing"
    db_path = tmp_path / "data" / "film_news.duckdb"
    db_path.parent.mkdir()
    for source in (published_warehouse, snapshot_path_for(published_warehouse)):
        (db_path.parent / source.name).write_bytes(source.read_bytes())
    read_copy = snapshot_path_for(db_path)
    good = read_copy.read_bytes()
    damage(db_path)

    done = film_news("run", "--input", str(landing), "--db", str(db_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "keeps its previous state" not in done.stderr
    assert f"the warehouse {db_path} is damaged" in done.stderr
    assert f"cp {read_copy} {db_path}" in done.stderr and "--full-refresh" in done.stderr
    assert read_copy.read_bytes() == good

    # The advice works: the read copy restored, the next run succeeds.
    db_path.write_bytes(good)
    assert film_news("run", "--input", str(landing), "--db", str(db_path)).returncode == 0
    assert count(db_path, "articles") == 1


def test_a_damaged_read_copy_is_named_as_such_by_the_sql_command(published_warehouse, tmp_path):
    from pipeline.warehouse import snapshot_path_for

    read_copy = tmp_path / "film_news.read.duckdb"
    read_copy.write_bytes(snapshot_path_for(published_warehouse).read_bytes())
    header_overwritten(read_copy)
    done = film_news("sql", "--db", str(read_copy), "select count(*) from articles")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"the read copy {read_copy} is damaged" in done.stderr and "film-news run" in done.stderr
