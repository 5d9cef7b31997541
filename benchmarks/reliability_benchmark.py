"""The slow reliability cases: kill -9 mid-run, two writers, readers during a run, a full disk, a hostile page.

Usage:  python benchmarks/reliability_benchmark.py [--articles 120] [--kills 5] [--only hostile]

Everything happens in a temporary folder with the real CLI (`python -m pipeline.cli`):
  kill -9     a run is killed at a random moment, then run again to the end; the
              database must open, pass the integrity queries, and hold exactly the rows
              (a fingerprint of articles, mentions and quotes) of an uninterrupted run
  two writers two runs started together: both must succeed, one waiting for the other
  readers     `film-news sql` queries the published copy in a loop during a run: none may fail
  full disk   where the machine lets this process mount a small tmpfs (root), the warehouse
              lives there and the publish fails for lack of space: no staging file may
              remain, the previous copy must open, and a run after space is freed succeeds
  hostile     a 24 MB page of nested inline tags lands with the corpus while a second run
              waits for the write lock: the first must reject it within the extraction
              budget and land the rest, the second must wait no longer than that
Prints each case's figures. The fast cases are in tests/test_reliability.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "pipeline.cli"]
FINGERPRINT_QUERIES = [
    "select article_id, content_hash, duplicate_of from articles order by 1",
    "select article_id, start_char, end_char, entity_id from mentions order by 1, 2, 3",
    "select quote_id, kind, speaker_entity_id from quotes order by 1",
    "select source_path, stage, reason from rejected_documents order by 1",
]
INTEGRITY_QUERIES = [
    "select count(*) from mentions m left join articles a using (article_id) where a.article_id is null",
    "select count(*) from quotes q left join articles a using (article_id) where a.article_id is null",
    "select count(*) from internal.source_files where status = 'landed' and article_id not in (select article_id from articles)",
]
PEOPLE = ["Celia Brandt", "Owen Hale", "Mateo Varga", "Ama Boateng", "Dana Whitlock", "Ruth Anand"]
TITLES = ["Harbor Lights", "Salt and Ember", "Quiet Water", "Glass Harbor", "Night Ferry", "Copper Mile"]


def write_corpus(folder: Path, articles: int) -> None:
    """Text articles of news length, with quotes and reported speech, deterministic by number."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        pick = random.Random(number)
        person, other, title = pick.choice(PEOPLE), pick.choice(PEOPLE), pick.choice(TITLES)
        paragraphs = [
            f"Story {number}. Northgate Studios has set a spring start for {title}, the drama from director {person}.",
            f"“We rewrote it {number % 9 + 2} times and it finally works,” {person} said in a statement.",
            f"{other} said the studio would announce the cast before the end of the year.",
            f"According to the producers, {title} will shoot in Halifax over {number % 7 + 6} weeks.",
        ] * 3
        (folder / f"{number:05d}.txt").write_text(f"date 2026-10-{number % 28 + 1:02d}\n\n" + "\n\n".join(paragraphs))


def run(landing: Path, db: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "run", "--input", str(landing), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def fingerprint(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        digest = hashlib.sha256()
        for query in FINGERPRINT_QUERIES:
            digest.update(repr(con.execute(query).fetchall()).encode())
        problems = sum(con.execute(query).fetchall()[0][0] for query in INTEGRITY_QUERIES)
    finally:
        con.close()
    return digest.hexdigest()[:16] + ("" if problems == 0 else f" ({problems} integrity problems)")


def kill_cases(work: Path, landing: Path, reference: str, kills: int, longest: float) -> None:
    mismatches = 0
    for trial in range(kills):
        db = work / f"kill{trial}" / "w.duckdb"
        db.parent.mkdir()
        process = run(landing, db)
        delay = random.Random(trial).uniform(1.0, max(1.5, longest * 0.9))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        finished = run(landing, db)
        finished.communicate()
        got = fingerprint(db)
        same = got == reference and finished.returncode == 0
        mismatches += not same
        print(f"  kill -9 after {delay:5.1f} s, then a full run: exit {finished.returncode}, "
              f"{'same rows' if same else 'DIFFERENT: ' + got}")
    print(f"kill -9: {kills} kills, {mismatches} mismatches")


def two_writers(work: Path, landing: Path, reference: str) -> None:
    db = work / "two" / "w.duckdb"
    db.parent.mkdir()
    first, second = run(landing, db), run(landing, db)
    outcomes = [p.communicate() and p.returncode for p in (first, second)]
    print(f"two writers: exit codes {outcomes}, rows {'same' if fingerprint(db) == reference else 'DIFFERENT'}")


def readers_during_a_run(work: Path, landing: Path) -> None:
    db = work / "readers" / "w.duckdb"
    db.parent.mkdir()
    small = work / "readers-first"
    small.mkdir()
    for path in sorted(landing.iterdir())[:3]:
        shutil.copy(path, small / path.name)
    run(small, db).communicate()  # a published copy exists before the long run starts
    writer = run(landing, db)
    queries = failures = 0
    while writer.poll() is None:
        done = subprocess.run([*CLI, "sql", "--db", str(db), "select count(*) from articles"], cwd=ROOT,
                              capture_output=True, text=True)
        queries += 1
        failures += done.returncode != 0
    writer.communicate()
    print(f"readers during a run: {queries} queries of the published copy, {failures} failed")


def full_disk(work: Path, landing: Path) -> None:
    mount = work / "small-disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=11m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        print("full disk: skipped (mounting a small tmpfs needs root and a machine that allows it)")
        return
    try:
        db = mount / "w.duckdb"
        small = work / "disk-first"
        small.mkdir()
        for path in sorted(landing.iterdir())[:3]:
            shutil.copy(path, small / path.name)
        # A first, small run publishes a copy; the full one then runs out of space publishing its own.
        subprocess.run([*CLI, "run", "--input", str(small), "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
        first = subprocess.run([*CLI, "run", "--input", str(landing), "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
        stale = sorted(p.name for p in mount.glob(".*.tmp"))
        try:
            duckdb.connect(str(mount / "w.read.duckdb"), read_only=True).close()
            readable = True
        except duckdb.Error:
            readable = False
        said = "needs" in first.stderr and "MB free" in first.stderr
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        again = subprocess.run([*CLI, "run", "--input", str(landing), "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
        print(f"full disk: first run exit {first.returncode} (says how much space: {said}), stale staging files {stale}, "
              f"previous copy readable: {readable}; after freeing space: exit {again.returncode}")
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def nested_inline_page(megabytes: float) -> str:
    chunk = "<i><b><span>word </span></b></i>"
    return ("<html><head><title>Nested</title></head><body><article><p>"
            + chunk * int(megabytes * 1024 * 1024 / len(chunk)) + "</p></article></body></html>")


def hostile_page(work: Path, landing: Path) -> None:
    folder = work / "hostile"
    shutil.copytree(landing, folder)
    (folder / "zz-nested.html").write_text(nested_inline_page(24))
    db = work / "hostile-db" / "w.duckdb"
    db.parent.mkdir()
    started = time.monotonic()
    first = run(folder, db)
    time.sleep(2)
    second_started = time.monotonic()
    second = run(folder, db)
    first.communicate()
    first_took = time.monotonic() - started
    second.communicate()
    second_took = time.monotonic() - second_started
    con = duckdb.connect(str(db), read_only=True)
    try:
        landed = con.execute("select count(*) from articles").fetchone()[0]
        reasons = [reason for (reason,) in con.execute("select reason from rejected_documents").fetchall()]
    finally:
        con.close()
    print(f"hostile page (24 MB of nested inline tags): first run exit {first.returncode} in {first_took:.1f} s, "
          f"{landed} articles landed, rejected: {reasons}; a second run started 2 s later: exit {second.returncode} "
          f"after {second_took:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--only", choices=["hostile"], help="run this case alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        landing = work / "landing"
        write_corpus(landing, args.articles)
        if args.only == "hostile":
            hostile_page(work, landing)
            return 0
        started = time.monotonic()
        reference_db = work / "reference" / "w.duckdb"
        reference_db.parent.mkdir()
        done = run(landing, reference_db)
        done.communicate()
        longest = time.monotonic() - started
        reference = fingerprint(reference_db)
        print(f"reference: {args.articles} articles in {longest:.1f} s, exit {done.returncode}, fingerprint {reference}")
        kill_cases(work, landing, reference, args.kills, longest)
        two_writers(work, landing, reference)
        readers_during_a_run(work, landing)
        full_disk(work, landing)
        hostile_page(work, landing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
