"""Readers query the published snapshot while a run writes: no lock errors, only whole states."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from pipeline.warehouse import snapshot_path_for

from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, news_page, text_article, write

READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb
    snapshot, stop, out = sys.argv[1], Path(sys.argv[2]), open(sys.argv[3], "w")
    deadline = time.monotonic() + 240
    while not stop.exists() and time.monotonic() < deadline:
        started = time.time()
        try:
            con = duckdb.connect(snapshot, read_only=True)
            articles, = con.execute("select count(*) from articles").fetchall()[0]
            orphan_mentions, = con.execute(
                "select count(*) from mentions m left join articles a using (article_id) where a.article_id is null").fetchall()[0]
            unprocessed, = con.execute(
                "select count(*) from articles a left join internal.quote_extraction_state q using (article_id) "
                "where q.article_id is null and a.language = 'en'").fetchall()[0]
            buzz, = con.execute("select count(*) from title_mentions_daily").fetchall()[0]
            con.close()
            out.write(json.dumps({"t": started, "articles": articles, "orphans": orphan_mentions,
                                  "unprocessed": unprocessed, "buzz": buzz}) + "\\n")
        except Exception as error:  # every failure is recorded, the test asserts there are none
            out.write(json.dumps({"t": started, "error": repr(error)}) + "\\n")
        out.flush()
        time.sleep(0.05)
    """
)


def film_news_run(landing: Path, db_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--input", str(landing), "--db", str(db_path)],
                          capture_output=True, text=True, timeout=300)


def test_queries_during_a_run_see_a_complete_earlier_or_later_state(landing, db_path, tmp_path):
    write(landing, "first/harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert film_news_run(landing, db_path).returncode == 0
    for i in range(30):
        write(landing, f"second/{i:02d}.txt", text_article("2026-10-07", [f"Report {i}: " + p for p in HARBOR_LIGHTS_INTERVIEW]))

    stop, log = tmp_path / "stop", tmp_path / "reads.jsonl"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(snapshot_path_for(db_path)), str(stop), str(log)])
    try:
        time.sleep(1.0)
        writer_started = time.time()
        done = film_news_run(landing, db_path)
        writer_finished = time.time()
        assert done.returncode == 0, done.stderr
        time.sleep(1.0)
    finally:
        stop.touch()
        reader.wait(timeout=60)

    reads = [json.loads(line) for line in log.read_text().splitlines()]
    errors = [r["error"] for r in reads if "error" in r]
    assert not errors, errors[:3]
    during = [r for r in reads if writer_started <= r["t"] <= writer_finished]
    assert len(during) >= 5, "the reader kept querying while the run wrote"
    assert {r["articles"] for r in reads} <= {1, 31}, "only the state before or after the run is ever seen"
    assert reads[-1]["articles"] == 31
    assert all(r["orphans"] == 0 and r["unprocessed"] == 0 for r in reads), "every state seen is a finished run"
