"""``film-news``: run the asset graph from a shell, the same assets the UI materializes.

    film-news run --input DIR --db PATH [--full-refresh] [--batch-size N] [--wait SECONDS]
    film-news sql "select …"      query the published read snapshot, print a table
    film-news sql                 an interactive SQL prompt on the snapshot
    film-news fetch [--day DATE]  gather new links (or one past day's) from outlets.yaml, and new WARC archives

Defaults come from FILM_NEWS_LANDING and FILM_NEWS_DB, else data/raw and
data/film_news.duckdb in the project. Runs are recorded as the project's
``film_news_job`` in the Dagster instance of DAGSTER_HOME, else in the project's
``.dagster_home`` (the one `make ui` serves), so they show in the UI's run history.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import re
import sys
from pathlib import Path


# sysexits.h's EX_TEMPFAIL: nothing was wrong with the input; cron and scripts may simply try again.
EXIT_TRY_AGAIN_LATER = 75


def _project_job(name: str, database: Path, landing: Path):
    """One of the project's jobs, as the UI and the schedule run it, on this database and folder."""
    from dagster import Definitions, in_process_executor

    from .definitions import build_resources, defs

    return Definitions(assets=defs.assets, asset_checks=defs.asset_checks, jobs=defs.jobs,
                       resources=build_resources(str(database), str(landing)),
                       executor=in_process_executor).resolve_job_def(name)


def _run(args: argparse.Namespace) -> int:
    from . import warehouse
    from .instance import prepare_instance

    landing = Path(args.input).resolve()
    database = Path(args.db).resolve()
    if not landing.is_dir():
        print(f"film-news: the input folder {landing} does not exist; create it or pass --input DIR", file=sys.stderr)
        return 2
    instance = prepare_instance()
    run_config = {
        # A full refresh reaches every incremental stage, not only ingest.
        "ops": {op: {"config": {"full_refresh": args.full_refresh, "batch_size": args.batch_size}}
                for op in ("ingest_articles", "extract_mentions_and_quotes", "search_index")},
        # Step-by-step debug events belong in the UI; the shell gets warnings and the summary.
        "loggers": {"console": {"config": {"log_level": args.log_level}}},
    }
    started = dt.datetime.now(dt.timezone.utc)
    who = f"film-news run, process {os.getpid()}, started {started:%Y-%m-%d %H:%M:%S} UTC"
    try:
        # The whole run holds the database: a second run of it (a nightly cron beside a manual run)
        # waits for this one to end, then finds only what is still new.
        with warehouse.holding_the_run_lock(database, args.wait, who):
            result = _project_job("film_news_job", database, landing).execute_in_process(
                run_config=run_config,
                instance=instance,
                raise_on_error=False,
                tags={"film_news/trigger": "cli"},
            )
    except warehouse.WarehouseBusy as busy:
        print(f"film-news: {busy}", file=sys.stderr)
        return EXIT_TRY_AGAIN_LATER
    failed_checks = [evaluation for evaluation in result.get_asset_check_evaluations() if not evaluation.passed]
    blocked = [check for check in failed_checks if check.blocking]
    if not result.success and blocked:
        # A blocking check stops what depends on its asset; the read copy is last of all.
        print(describe_failed_checks(failed_checks), file=sys.stderr)
        print("film-news: a blocking check failed, so the steps after it did not run and the read copy was not "
              "published (readers keep the previous one). Fix the problem rows and run again.", file=sys.stderr)
        return 1
    if not result.success:
        failures = [(event.step_key, event.step_failure_data.error) for event in result.all_events if event.is_step_failure]
        causes = [(step, error.cause if error and error.cause else error) for step, error in failures]
        damaged = [cause.message.strip() for _, cause in causes if cause and cause.cls_name == "WarehouseDamaged"]
        if damaged:
            # Not "keeps its previous state": a damaged file has no state to keep; the message says what to do.
            print("film-news: " + re.sub(r"^[\w.]*WarehouseDamaged: ", "", damaged[0]), file=sys.stderr)
            return 1
        print("film-news: the run failed; the database keeps its previous state. Errors:", file=sys.stderr)
        for step, cause in causes:
            print(f"  {step}: {cause.message.strip() if cause else ''}", file=sys.stderr)
        return 1

    con = warehouse.connect(database, read_only=True)
    try:
        _print_summary(con, database, result, failed_checks)
    finally:
        con.close()
    return 1 if failed_checks else 0


def _print_summary(con, database: Path, result, failed_checks) -> None:
    from . import warehouse

    landed = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        landed[materialization.asset_key.to_user_string()] = {k: v.value for k, v in materialization.metadata.items()}
    stats = landed.get("articles", {})
    print(f"Database: {database}")
    print(
        f"This run: {stats.get('files_processed', 0)} of {stats.get('files_in_landing_folder', 0)} files processed, "
        f"{stats.get('articles_landed', 0)} articles landed ({stats.get('duplicates_found', 0)} syndicated copies), "
        f"{stats.get('documents_rejected', 0)} rejected, {stats.get('unchanged_files', 0)} unchanged"
    )
    if stats.get("emptied_since_landed"):
        print(f"{stats['emptied_since_landed']} file(s) emptied since they were landed; their articles are kept "
              f"(restore the file, or delete the article by hand):\n{stats.get('emptied_files', '')}")
    for table in ("articles", "rejected_documents"):
        count = warehouse.scalar(con, f"select count(*) from {table}")
        print(f"\n{table}: {count} rows")
        if table == "articles":
            frame = warehouse.query_frame(
                con,
                "select published_date, language as lang, word_count as words, site, title, duplicate_of is not null as copy "
                "from articles order by published_date desc nulls last, title limit 20",
            )
        else:
            frame = warehouse.query_frame(con, "select source_path, stage, reason from rejected_documents order by source_path limit 20")
        if frame.height:
            print(warehouse.frame_to_markdown(frame, max_width=70))
    entity_count = warehouse.scalar(con, "select count(*) from entities")
    mention_count = warehouse.scalar(con, "select count(*) from mentions")
    print(f"\nentities: {entity_count} rows ({mention_count} mentions); most mentioned:")
    print(warehouse.frame_to_markdown(warehouse.query_frame(
        con, "select name, entity_type as type, article_count as articles, aliases from entities "
             "order by article_count desc, name limit 10")))
    quote_count = warehouse.scalar(con, "select count(*) from quotes")
    print(f"\nquotes: {quote_count} rows; newest:")
    print(warehouse.frame_to_markdown(warehouse.query_frame(
        con, "select coalesce(q.speaker, '(unattributed)') as speaker, q.kind, a.published_date, q.text from quotes q "
             "join articles a using (article_id) where q.parent_quote_id is null "
             "order by a.published_date desc nulls last, q.article_id, q.start_char limit 8"), max_width=90))
    if failed_checks:
        print(describe_failed_checks(failed_checks), file=sys.stderr)


# Metadata keys the checks use for "how many rows are wrong", most specific first.
_PROBLEM_COUNT_KEYS = ("problem_rows", "failures", "files_unaccounted", "rejected_without_reason")


def describe_failed_checks(failed_checks) -> str:
    """The failed asset checks as a list a person can act on: check, asset, how many rows, a sample.

    Reads only the fields every ``AssetCheckEvaluation`` has (asset key, check name,
    description, metadata), so a check of any shape is reported, never a traceback.
    """
    lines = [f"\nfilm-news: {len(failed_checks)} asset check(s) failed; the rows are landed, look at these problems:"]
    for check in sorted(failed_checks, key=lambda c: (c.asset_key.to_user_string(), c.check_name)):
        metadata = {key: getattr(value, "value", value) for key, value in (check.metadata or {}).items()}
        count = next((metadata[key] for key in _PROBLEM_COUNT_KEYS if isinstance(metadata.get(key), int) and metadata[key]), None)
        problem = f"{count} problem row(s)" if count is not None else "failed"
        lines.append(f"  - {check.check_name} on {check.asset_key.to_user_string()}: {problem}")
        if check.description:
            lines.append(f"      {check.description}")
        sample = metadata.get("sample") or metadata.get("failure_sample")
        if isinstance(sample, str) and sample.strip():
            lines.extend(f"      {row}" for row in sample.strip().splitlines()[:7])
    return "\n".join(lines)


def _fetch(args: argparse.Namespace) -> int:
    import datetime as dt

    from .core.sources import OutletsFileError, load_sources_config
    from .defs.gather.assets import GatherConfig
    from .resources import sources_config_from_env, warc_folder_from_env

    try:
        GatherConfig(day=args.day or "").day_range(dt.datetime.now(dt.timezone.utc).date())
    except ValueError as error:
        print(f"film-news: --day: {error}", file=sys.stderr)
        return 2
    days = f"dated {args.day}" if args.day else "dated yesterday or today (UTC)"
    outlets_path, warc_folder = Path(sources_config_from_env()), Path(warc_folder_from_env())
    try:
        outlets = load_sources_config(outlets_path).outlets
    except OutletsFileError as error:
        print(f"film-news: {error}", file=sys.stderr)
        return 2
    archives = sorted(warc_folder.glob("*.warc*")) if warc_folder.is_dir() else []
    if not outlets and not archives:
        # Nothing would be gathered: say why rather than print zeros.
        print(f"film-news: nothing to gather: no outlet is configured in {outlets_path} (FILM_NEWS_OUTLETS; the "
              f"file has commented examples) and no WARC archive is in {warc_folder} (FILM_NEWS_WARC).", file=sys.stderr)
        return 0
    from .instance import prepare_instance

    instance = prepare_instance()
    result = _project_job("sources_job", Path(args.db).resolve(), Path(args.input).resolve()).execute_in_process(
        instance=instance, raise_on_error=False, tags={"film_news/trigger": "cli"},
        # The outcome of each outlet is said below, in sentences; Dagster's log keeps the details for the UI.
        run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
                    "ops": {"fetched_pages": {"config": {"day": args.day or ""}}}},
    )
    if not result.success:
        print("film-news: gathering failed:", file=sys.stderr)
        for event in result.all_events:
            if event.is_step_failure:
                error = event.step_failure_data.error
                cause = error.cause.message.strip() if error and error.cause else (error.message.strip() if error else "")
                print(f"  {event.step_key}: {cause}", file=sys.stderr)
        return 1
    gathered = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        gathered[materialization.asset_key.to_user_string()] = {k: v.value for k, v in materialization.metadata.items()}
    pages, archived = gathered.get("fetched_pages", {}), gathered.get("archive_pages", {})
    landed = pages.get("pages_landed", 0) + archived.get("pages_kept", 0)
    if outlets:
        print(f"Outlets in {outlets_path}, links {days}:")
        for line in (pages.get("outcome") or "").splitlines():
            print(f"  {line}")
    if archives:
        print(f"Archives in {warc_folder}: {archived.get('archives_read', 0)} new archive(s) read, "
              f"{archived.get('pages_kept', 0)} of {archived.get('pages_seen', 0)} HTML page(s) kept.")
        if archived.get("archive_errors", "_none_") != "_none_":
            print(archived["archive_errors"])
    every_outlet_failed = bool(outlets) and pages.get("outlets_failed", 0) == len(outlets)
    if every_outlet_failed:
        print(f"Nothing was gathered from the outlets: none of the {len(outlets)} outlet(s) could be read (see why "
              "above). Correct the outlets file or try again when the outlets answer.")
    if landed:
        print(f"{landed} page(s) landed in {Path(args.input).resolve()}; run `film-news run` to ingest them.")
    elif not every_outlet_failed:
        print("No new page landed.")
    return 1 if every_outlet_failed else 0


def _published_copy(db: str) -> Path | None:
    """The read copy named by ``--db`` (the warehouse, whose copy is NAME.read.duckdb beside it, or
    that copy itself), or None (said on stderr) when no run has published one."""
    from . import warehouse

    snapshot = warehouse.read_copy_named_by(Path(db).resolve())
    if not snapshot.exists():
        print(f"film-news: no published data at {snapshot}; run `film-news run` first", file=sys.stderr)
        return None
    return snapshot


def _open_published(snapshot: Path):
    """A sealed read-only connection to the published copy (a fresh one each time: it sees the newest
    run), or None (said on stderr) when it cannot be opened."""
    import duckdb

    from . import warehouse

    try:
        return warehouse.connect(snapshot, read_only=True, lock_timeout=0)
    except duckdb.Error as error:
        print(f"film-news: cannot open {snapshot}: {error}", file=sys.stderr)
        return None


def _sql(args: argparse.Namespace) -> int:
    snapshot = _published_copy(args.db)
    if snapshot is None:
        return 2
    if args.query:
        return _run_query(snapshot, " ".join(args.query), args.max_rows, args.format)
    print(f"Connected read-only to {snapshot} (the data of the last finished run).")
    print("End statements with ';'. Commands: .help  .tables  .schema TABLE  .quit (or Ctrl-D)")
    _line_editing()
    buffer = ""
    while True:
        try:
            line = input("film-news> " if not buffer else "      ...> ")
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:  # Ctrl-C drops the statement being typed, as in psql
            print()
            buffer = ""
            continue
        command = line.strip()
        if not buffer and command.startswith("."):
            if command in (".quit", ".exit"):
                return 0
            query = _dot_command(command)
            if query is None:
                print(SQL_PROMPT_HELP)
            elif query:
                _run_query(snapshot, query, args.max_rows, args.format)
            continue
        if not buffer and command == "\\q":
            return 0
        buffer += line + "\n"
        if buffer.strip().endswith(";"):
            _run_query(snapshot, buffer, args.max_rows, args.format)
            buffer = ""


SQL_PROMPT_HELP = """\
  .help            this list
  .tables          the tables and views for analysts (docs/DATA_DICTIONARY.md says what each holds)
  .schema TABLE    the columns of TABLE with their DuckDB types
  .quit            leave (or Ctrl-D); Ctrl-C drops the statement being typed
Full-text search: select * from search_quotes('sequel franchise') order by score desc limit 20;
(and search_articles); the stages' bookkeeping is in the schema internal.
Anything else is SQL, ended by ';'. Arrow keys edit the line and walk the history
(kept in ~/.film_news_sql_history)."""


def _dot_command(command: str) -> str | None:
    """The SQL a dot command stands for; None for .help or an unknown command (the help is printed)."""
    name, _, rest = command.partition(" ")
    if name == ".tables":
        return ("select table_name as name, lower(table_type) as kind from information_schema.tables "
                "where table_schema = 'main' order by 1;")
    if name == ".schema" and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", rest.strip()):
        return (f"select column_name as column, data_type as type, is_nullable as nullable "
                f"from information_schema.columns where table_name = '{rest.strip()}' order by ordinal_position;")
    if name == ".schema":
        print("usage: .schema TABLE (a table or view name, as .tables lists them)")
        return ""
    return None


def _line_editing() -> None:
    """Line editing and a history kept across sessions, where the terminal has readline."""
    try:
        import atexit
        import readline
    except ImportError:  # not every platform has it: the prompt still works, without history
        return
    history = Path.home() / ".film_news_sql_history"
    try:
        readline.read_history_file(history)
    except OSError:
        pass
    readline.set_history_length(1000)
    atexit.register(lambda: _save_history(readline, history))


def _save_history(readline, history: Path) -> None:
    try:
        readline.write_history_file(history)
    except OSError:
        pass  # a read-only home: the session still worked


# Statements that write files (or read them into tables): the connection refuses them too, but
# with DuckDB's "file system operations are disabled", which does not say what to do instead.
_FILE_STATEMENTS = ("COPY", "EXPORT", "COPY_DATABASE")


def _run_query(snapshot: Path, query: str, max_rows: int, output_format: str = "table") -> int:
    import shutil

    import duckdb

    from . import warehouse
    from .query_output import print_table, write_csv

    # A fresh connection per statement: each one sees the newest published run.
    # It is sealed: no statement can write, attach, export or read another file.
    con = _open_published(snapshot)
    if con is None:
        return 1
    try:
        kinds = {statement.type.name for statement in con.extract_statements(query)}
        if kinds & set(_FILE_STATEMENTS):
            print("film-news: COPY and EXPORT DATABASE are refused: `film-news sql` reads the published data and "
                  "writes no file. To save a result: film-news sql --format csv \"select …\" > result.csv",
                  file=sys.stderr)
            return 1
        with warehouse.reporting_damage(snapshot):
            relation = con.sql(query)
            if relation is None:
                return 0
            if output_format == "csv":
                write_csv(relation.columns, relation.fetchall())
                return 0
            rows = relation.limit(max_rows + 1).fetchall()
        print_table(relation.columns, [str(t) for t in relation.types], rows[:max_rows],
                    width=shutil.get_terminal_size((160, 40)).columns, more_rows=len(rows) > max_rows)
        return 0
    except duckdb.Error as error:
        # DuckDB's whole message: its later lines say what to write instead ("Did you mean",
        # "Candidate bindings") and point at the place in the statement.
        message = str(error).strip()
        first_line = message.splitlines()[0].casefold() if message else ""
        if "read-only" in first_line or isinstance(error, duckdb.PermissionException) \
                or "cannot change configuration" in first_line:
            message += ("\n(the published data is read-only and this prompt reads nothing else: "
                        "it is rebuilt by `film-news run`)")
        print(f"film-news: {message}", file=sys.stderr)
        return 1
    finally:
        con.close()


def _search(args: argparse.Namespace) -> int:
    import shutil

    from .core.search import SearchError, SearchRequest, search

    try:
        since, until = (dt.date.fromisoformat(day) if day else None for day in (args.since, args.until))
    except ValueError as error:
        print(f"film-news: {error}; write dates as YYYY-MM-DD", file=sys.stderr)
        return 2
    if args.event is not None:
        from .schemas import EVENT_KINDS

        if args.event not in EVENT_KINDS:
            print(f"film-news: --event {args.event!r} is no kind of event; use one of {', '.join(EVENT_KINDS)}", file=sys.stderr)
            return 2
    try:
        request = SearchRequest(words=" ".join(args.query), target=args.target, speaker=args.speaker,
                                title=args.title, kind=args.kind, since=since, until=until, site=args.site,
                                include_copies=args.include_copies, limit=args.limit, event=args.event)
    except SearchError as error:
        print(f"film-news: {error}", file=sys.stderr)
        return 2
    snapshot = _published_copy(args.db)
    if snapshot is None:
        return 2
    con = _open_published(snapshot)
    if con is None:
        return 1
    try:
        found = search(con, request)
        if args.format == "csv":
            print(found.pl().write_csv(), end="")
        else:
            found.show(max_rows=args.limit, max_width=shutil.get_terminal_size((160, 40)).columns)
        return 0
    except SearchError as error:
        print(f"film-news: {error}", file=sys.stderr)
        return 2
    finally:
        con.close()


def _report(args: argparse.Namespace) -> int:
    from .core.report import NothingToReport, ReportFailed, write_week_report

    snapshot = _published_copy(args.db)
    if snapshot is None:
        return 2
    try:
        day = dt.date.fromisoformat(args.week) if args.week else None
    except ValueError as error:
        print(f"film-news: {error}; write the week as a day of it, YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        output, week = write_week_report(snapshot, Path(args.output).resolve(), day)
    except NothingToReport as error:
        print(f"film-news: {error}", file=sys.stderr)
        return 2
    except ReportFailed as error:
        print(f"film-news: {error}", file=sys.stderr)
        return 1
    print(f"wrote {output} (the week of {week.isoformat()}); open it in a browser, it needs no network")
    return 0


def main(argv: list[str] | None = None) -> int:
    from .resources import database_path_from_env, landing_path_from_env

    parser = argparse.ArgumentParser(prog="film-news", description="The film-news pipeline.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="materialize the whole asset graph on a folder of article files")
    run.add_argument("--input", default=landing_path_from_env(), help="folder of .html, .htm, .html.gz and .txt files (FILM_NEWS_LANDING)")
    run.add_argument("--db", default=database_path_from_env(), help="DuckDB file to write (FILM_NEWS_DB)")
    run.add_argument("--full-refresh", action="store_true", help="forget what was ingested and rebuild from every file")
    run.add_argument("--batch-size", type=int, default=200, help="files per batch (bounds memory)")
    run.add_argument("--wait", type=float, default=3600, metavar="SECONDS",
                     help="how long to wait for another run of the same database to end (default 3600; "
                          f"0: give up at once, exit code {EXIT_TRY_AGAIN_LATER})")
    # Dagster's own console log stays quiet by default: the command reports failed steps and
    # checks itself, in a list, where Dagster would print each as an error with its stack.
    run.add_argument("--log-level", default="CRITICAL", choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
                     help="Dagster's console log level (the run's full log is in the Dagster UI)")
    sql = commands.add_parser("sql", help="query the published read snapshot (interactive without a query)")
    sql.add_argument("query", nargs="*", help="a SQL statement; leave out for an interactive prompt")
    sql.add_argument("--db", default=database_path_from_env(),
                     help="the warehouse (FILM_NEWS_DB) or its read copy NAME.read.duckdb: the read copy is what is queried")
    sql.add_argument("--max-rows", type=int, default=40,
                     help="rows of a result shown as a table (default 40; a line says when there are more)")
    sql.add_argument("--format", choices=["table", "csv"], default="table",
                     help="table: for reading, long values shortened; csv: every row and value whole, "
                          "for a file or another program")
    fetch = commands.add_parser("fetch", help="gather new pages (links dated yesterday or today, UTC) from outlets, and new WARC archives")
    fetch.add_argument("--day", help="YYYY-MM-DD: only links dated that day (a backfill of a past day)")
    fetch.add_argument("--input", default=landing_path_from_env(), help="landing folder the pages are stored in")
    fetch.add_argument("--db", default=database_path_from_env(), help="DuckDB file (FILM_NEWS_DB)")
    search = commands.add_parser("search", help="full-text search of quotes (or articles) in the published data, ranked by BM25")
    search.add_argument("query", nargs="+", help="words to look for (any of them; rarer words weigh more)")
    search.add_argument("--in", dest="target", choices=["quotes", "articles"], default="quotes")
    search.add_argument("--speaker", help="quotes whose speaker's name contains this")
    search.add_argument("--title", help="quotes about (articles mentioning) a title: its name or part of it")
    search.add_argument("--kind", choices=["direct", "indirect"], help="direct quotes or reported speech only")
    search.add_argument("--event", metavar="KIND",
                        help="only articles (and their quotes) that state an industry event of this kind: box_office, "
                             "release_date, casting, hiring, production_status, deal or award (events.kind)")
    search.add_argument("--since", help="published on or after YYYY-MM-DD")
    search.add_argument("--until", help="published on or before YYYY-MM-DD")
    search.add_argument("--site", help="outlet whose site contains this")
    search.add_argument("--include-copies", action="store_true", help="also syndicated copies (originals only by default)")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--format", choices=["table", "csv"], default="table")
    search.add_argument("--db", default=database_path_from_env(), help="the warehouse whose snapshot to search (FILM_NEWS_DB)")
    report = commands.add_parser("report", help="write the week's page (titles, their trend, who was quoted, newest quotes) as one HTML file")
    report.add_argument("--week", help="any day of the week to report, YYYY-MM-DD (default: the newest week with articles)")
    report.add_argument("--output", default="film_news_week.html", help="the HTML file to write")
    report.add_argument("--db", default=database_path_from_env(), help="the warehouse whose snapshot to read (FILM_NEWS_DB)")
    docs = commands.add_parser("docs", help="write the data dictionary (docs/DATA_DICTIONARY.md)")
    docs.add_argument("--output", default=None, help="where to write it (default: docs/DATA_DICTIONARY.md in the project)")
    args = parser.parse_args(argv)
    if args.command == "docs":
        from .definitions import SQL_MODELS
        from .dictionary import write_data_dictionary
        from .resources import PROJECT_ROOT

        target = write_data_dictionary(SQL_MODELS, Path(args.output) if args.output else PROJECT_ROOT / "docs" / "DATA_DICTIONARY.md")
        print(f"wrote {target}")
        return 0
    if args.command == "run":
        return _run(args)
    if args.command == "search":
        return _search(args)
    if args.command == "report":
        return _report(args)
    if args.command == "sql":
        return _sql(args)
    if args.command == "fetch":
        return _fetch(args)
    return 2


def entry() -> None:
    """The ``film-news`` command: ``main``, then a prompt exit with its code.

    When ``main`` returns, every database is committed and closed and the output written; the exit
    handlers still run (multiprocessing's, logging's, Dagster's). Only the interpreter's own teardown
    is skipped: freeing, one by one, the objects and modules of spaCy, Dagster, DuckDB and Polars,
    which took a second of every run (measured: 0.6 s after the imports alone) and changes nothing.
    """
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of the output went away (`film-news sql "…" | head`): stop quietly, as the
        # Python documentation advises (output to a closed pipe is dropped, not a traceback).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.stderr.flush()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
