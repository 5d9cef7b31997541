"""The events scorer on an invented landed database: what counts as found, missed, extra, optional."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from benchmarks import score_events

EVENT_COLUMNS = ("event_id", "article_id", "kind", "title_entity_id", "person_entity_id", "org_entity_id", "role",
                 "amount", "currency", "amount_kind", "territory", "event_date", "date_precision", "status",
                 "certainty", "award", "category", "evidence", "evidence_start", "evidence_end", "rule")

ENTITIES = {
    # id: (name, type, aliases)
    "harbor": ("Starlight Harbor", "TITLE", []),
    "harbor2": ("Starlight Harbor 2", "TITLE", []),
    "maya": ("Okafor", "PERSON", ["Maya Okafor"]),  # the canonical name is the surname; an alias holds the full name
    "reed": ("Reed", "PERSON", []),  # a surname alone
    "pinewood": ("Pinewood Pictures", "ORG", ["Pinewood"]),
    "streamline": ("Streamline", "ORG", []),
    "lanterns": ("Lanterns", "TITLE", []),
}


def gold_event(kind: str, **fields) -> dict:
    event = {field: None for field in score_events.FIELDS}
    event.update(kind=kind, certainty="stated", optional=False)
    event.update(fields)
    return event


def write_gold(folder: Path, name: str, events: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{Path(name).stem}.json").write_text(json.dumps({"file": name, "events": events}))


def landed_db(path: Path, articles: dict[str, str], events: list[dict]) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create table articles (article_id varchar, source_path varchar, url varchar, text varchar)")
    con.execute("create table entities (entity_id varchar, name varchar, entity_type varchar, aliases varchar[])")
    con.execute("create table events (event_id varchar, article_id varchar, kind varchar, title_entity_id varchar,"
                " person_entity_id varchar, org_entity_id varchar, role varchar, amount double, currency varchar,"
                " amount_kind varchar, territory varchar, event_date date, date_precision varchar, status varchar,"
                " certainty varchar, award varchar, category varchar, evidence varchar, evidence_start integer,"
                " evidence_end integer, rule varchar)")
    for article_id, source_path in articles.items():
        con.execute("insert into articles values (?, ?, null, 'text')", [article_id, source_path])
    for entity_id, (name, entity_type, aliases) in ENTITIES.items():
        con.execute("insert into entities values (?, ?, ?, ?)", [entity_id, name, entity_type, aliases])
    for number, event in enumerate(events):
        row = {column: None for column in EVENT_COLUMNS}
        row.update(event_id=f"e{number}", certainty="stated", rule="test_rule", **event)
        con.execute(f"insert into events values ({', '.join('?' * len(EVENT_COLUMNS))})", [row[c] for c in EVENT_COLUMNS])
    con.close()
    return path


def run_scorer(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, dict]:
    code = score_events.main([*args, "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if code == 0 else {})


def test_a_weekend_report_scored_event_by_event(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # Two annotators' folders read as one gold. The box office report has an opening weekend, a
    # casting, a cancellation and, as history, an optional award; the second article has no events.
    write_gold(tmp_path / "gold_a", "weekend-report.html", [
        gold_event("box_office", title="Starlight Harbor", org="Pinewood Pictures", amount=41500000, currency="USD",
                   amount_kind="opening_weekend", event_date="2030-05-10"),
        gold_event("casting", person="Maya Okafor", title="Starlight Harbor 2", status="joined"),
        gold_event("production_status", title="Night Shift", org="Streamline", status="cancelled"),
        gold_event("award", person="Maya Okafor", title="Lanterns", award="Oscar", status="won", event_date="2021",
                   optional=True),
    ])
    write_gold(tmp_path / "gold_b", "profile.html", [])
    db = landed_db(tmp_path / "landed.duckdb", {"a1": "pages/weekend-report.html", "a2": "profile.html",
                                                "a3": "not-annotated.html"}, [
        # found: the studio by its alias, the figure as counted to the dollar, the weekend's Friday
        dict(article_id="a1", kind="box_office", title_entity_id="harbor", org_entity_id="pinewood",
             amount=41_512_345.0, currency="USD", amount_kind="opening_weekend",
             event_date=dt.date(2030, 5, 10), date_precision="day"),
        # found: the person's entity is named by its surname, but its alias is the full name
        dict(article_id="a1", kind="casting", person_entity_id="maya", title_entity_id="harbor2", status="joined"),
        # the optional award, found: neither right nor wrong
        dict(article_id="a1", kind="award", person_entity_id="maya", title_entity_id="lanterns", status="won"),
        # extra: a deal the article does not state
        dict(article_id="a1", kind="deal", org_entity_id="streamline", title_entity_id="harbor", status="acquired"),
        # extra: an article whose gold is "no events"
        dict(article_id="a2", kind="casting", person_entity_id="maya", title_entity_id="harbor", status="joined"),
        # not scored: an article outside the gold
        dict(article_id="a3", kind="casting", person_entity_id="reed", title_entity_id="harbor", status="joined"),
    ])

    code, result = run_scorer(capsys, "--gold", str(tmp_path / "gold_a"), str(tmp_path / "gold_b"), "--db", str(db))

    assert code == 0
    summary, details = result["summary"], "\n".join(result["details"])
    # 2 of 3 required gold events found; 2 right among 4 counted extractions (the optional one is not counted)
    assert summary["kind_entities_p_r_f1"] == [0.5, 0.667, 0.571]
    assert summary["by_kind_p_r_f1"]["box_office"][:3] == [1.0, 1.0, 1.0]
    assert summary["by_kind_p_r_f1"]["casting"][:3] == [0.5, 1.0, 0.667]
    assert summary["by_kind_p_r_f1"]["production_status"][:3] == [0.0, 0.0, 0.0]
    assert "award" not in summary["by_kind_p_r_f1"]
    assert summary["counts"]["optional_found"] == 1
    assert summary["amount_exact_on_matched"] == 1.0 and summary["date_exact_on_matched"] == 1.0
    assert "missed event: production_status title=Night Shift" in details
    assert "extra event: deal title=Starlight Harbor org=Streamline" in details
    assert "profile.html: \n    extra event: casting" in details
    assert "not-annotated" not in details


def test_a_surname_alone_is_not_the_gold_person(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_gold(tmp_path / "gold", "casting-news.html", [gold_event("casting", person="Dana Reed", title="Starlight Harbor 2",
                                                                    status="joined")])
    db = landed_db(tmp_path / "landed.duckdb", {"a1": "casting-news.html"}, [
        dict(article_id="a1", kind="casting", person_entity_id="reed", title_entity_id="harbor2", status="joined")])

    code, result = run_scorer(capsys, "--gold", str(tmp_path / "gold"), "--db", str(db))

    assert code == 0
    assert result["summary"]["kind_entities_p_r_f1"] == [0.0, 0.0, 0.0]
    assert "missed event: casting title=Starlight Harbor 2 person=Dana Reed" in "\n".join(result["details"])


@pytest.mark.parametrize(("gold_amount", "extracted", "exact"), [
    (41500000, 41_512_345.0, True),     # "$41.5 million": rounding of the written figure
    (41500000, 41_600_000.0, False),    # another figure
    (150000000, 151_000_000.0, True),   # "$150 million": within 1%
    (150000000, 160_000_000.0, False),  # beyond 1% although within the written figure's rounding
    (20606000, 20_606_000.0, True),
    (20606000, 20_610_000.0, False),
])
def test_amount_exact_within_the_rounding_of_the_written_figure(gold_amount, extracted, exact) -> None:
    gold = gold_event("box_office", title="X", amount=gold_amount, currency="USD")
    assert score_events.amount_exact(gold, {"amount": extracted, "currency": "USD"}) is exact


@pytest.mark.parametrize(("gold_date", "extracted", "precision", "exact"), [
    ("2030-05", dt.date(2030, 5, 17), "day", True),   # the gold gives the month only
    ("2030-05-17", dt.date(2030, 5, 1), "month", False),  # the gold's day is more than the extraction knows
    ("2030", dt.date(2030, 1, 1), "year", True),
    ("2030-05-17", dt.date(2030, 5, 18), "day", False),
])
def test_date_exact_at_the_gold_granularity(gold_date, extracted, precision, exact) -> None:
    gold = gold_event("release_date", title="X", event_date=gold_date, status="set")
    assert score_events.date_exact(gold, {"event_date": extracted, "date_precision": precision}) is exact


def test_a_malformed_gold_file_is_reported_not_scored(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_gold(tmp_path / "gold", "a.html", [gold_event("casting", person="Maya Okafor", title="X", status="greenlit")])

    code = score_events.main(["--gold", str(tmp_path / "gold"), "--check"])

    assert code == 2
    assert "status 'greenlit' is not one of ['joined', 'left'] for casting" in capsys.readouterr().err


def test_the_project_gold_follows_the_guide(capsys: pytest.CaptureFixture) -> None:
    gold = Path(__file__).resolve().parents[1] / "benchmarks" / "events_gold" / "film-real-dev"
    assert score_events.main(["--gold", str(gold), "--check"]) == 0
