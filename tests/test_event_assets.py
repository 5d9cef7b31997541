"""Industry events through the asset graph, on a real DuckDB file: the events table, its checks, the
views analysts ask their questions of, the week's moves and search by event kind."""

from __future__ import annotations

from .harness import film_news, rows, run
from .newsroom import news_page, write


def trade_week(landing):
    """Two trade stories of one week (Monday 2026-11-23 and Wednesday 2026-11-25): a release date
    moved twice, an opening weekend, a cancellation, a casting and an award."""
    write(landing, "trades/monday.html", news_page(
        "Weekend box office: Copper Sky opens big",
        [
            "<em>Copper Sky</em>, the Halcyon Pictures release, opened to $52.3 million this weekend.",
            "Orbit Films has pushed the release of <em>Salt and Ember 2</em> back to March 12, 2027.",
            "Netflix has cancelled <em>Night Shift</em> after two seasons.",
            "Maya Okafor has joined the cast of <em>Salt and Ember 2</em>.",
        ],
        site="Reel Ledger", published="2026-11-23T08:00:00+00:00",
    ))
    write(landing, "trades/wednesday.html", news_page(
        "Salt and Ember 2 moves up again",
        [
            "Orbit Films has moved up the release of <em>Salt and Ember 2</em> to February 5, 2027.",
            "Dana Whitlock won the Golden Globe for best director for <em>Copper Sky</em> on Sunday.",
        ],
        site="Screen Dispatch", published="2026-11-25T09:00:00+00:00",
    ))


def test_events_land_with_their_checks_and_answer_the_analysts_questions(landing, db_path, tmp_path):
    trade_week(landing)
    result = run(landing, db_path)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert not [(c.check_name, c.metadata) for c in evaluations if not c.passed]
    checked = {c.check_name for c in evaluations if c.asset_key.to_user_string() == "events"}
    assert {"events_match_schema", "event_offsets_inside_text", "event_entities_exist", "event_amounts_positive"} <= checked

    assert rows(db_path, """
        select ev.kind, ev.status, t.name, coalesce(p.name, o.name), ev.amount, ev.event_date::varchar
        from events ev left join entities t on t.entity_id = ev.title_entity_id
        left join entities p on p.entity_id = ev.person_entity_id left join entities o on o.entity_id = ev.org_entity_id
        order by ev.kind, ev.event_date nulls first, t.name""") == [
        ("award", "won", "Copper Sky", "Dana Whitlock", None, "2026-11-22"),
        ("box_office", None, "Copper Sky", "Halcyon Pictures", 52_300_000.0, "2026-11-20"),
        ("casting", "joined", "Salt and Ember 2", "Maya Okafor", None, None),
        ("production_status", "cancelled", "Night Shift", "Netflix", None, None),
        ("release_date", "moved_up", "Salt and Ember 2", "Orbit Films", None, "2027-02-05"),
        ("release_date", "delayed", "Salt and Ember 2", "Orbit Films", None, "2027-03-12"),
    ]

    # Each title's current release date, and its history of changes: one query.
    assert rows(db_path, "select title, release_date::varchar, status, dates_reported, changes, len(history) "
                         "from release_calendar") == [("Salt and Ember 2", "2027-02-05", "moved_up", 2, 2, 2)]
    # Opening weekends over $50 million, with their studios.
    assert rows(db_path, "select title, best_amount, studios, opening_weekend_of::varchar from box_office_by_title "
                         "where amount_kind = 'opening_weekend' and best_amount > 50e6") == [
        ("Copper Sky", 52_300_000.0, ["Halcyon Pictures"], "2026-11-20")]
    # Everyone cast in an Orbit Films production: the studios of the title's other events.
    assert rows(db_path, "select person, title, status from casting_by_title where list_contains(studios, 'Orbit Films')") == [
        ("Maya Okafor", "Salt and Ember 2", "joined")]
    assert rows(db_path, "select person, award, category, status, titles from awards_by_person") == [
        ("Dana Whitlock", "Golden Globe", "best director", "won", ["Copper Sky"])]
    assert rows(db_path, "select title, award, status, people from awards_by_title") == [
        ("Copper Sky", "Golden Globe", "won", ["Dana Whitlock"])]
    # Which series Netflix cancelled.
    assert rows(db_path, """select t.name from events e join entities t on t.entity_id = e.title_entity_id
                            join entities o on o.entity_id = e.org_entity_id
                            where e.kind = 'production_status' and e.status = 'cancelled' and o.name = 'Netflix'""") == [
        ("Night Shift",)]

    # Re-running the same input changes nothing.
    before = rows(db_path, "select * from events order by event_id")
    assert run(landing, db_path).success
    assert rows(db_path, "select * from events order by event_id") == before

    # The week's page shows its moves; search keeps the articles that report a casting.
    output = tmp_path / "week.html"
    done = film_news("report", "--db", str(db_path), "--output", str(output))
    assert done.returncode == 0, done.stderr
    page = output.read_text(encoding="utf-8")
    moves = page[page.index('id="moves"'):page.index('id="speakers"')]
    for expected in ("Release delayed", "to 12 March 2027", "Release moved up", "to 05 February 2027", "Cancelled",
                     "Night Shift", "Top opening", "$52.3 million, Halcyon Pictures"):
        assert expected in moves, expected
    found = film_news("search", "release", "--in", "articles", "--event", "casting", "--db", str(db_path), "--format", "csv")
    assert found.returncode == 0, found.stderr
    assert "Copper Sky opens big" in found.stdout and "moves up again" not in found.stdout
    refused = film_news("search", "release", "--event", "gossip", "--db", str(db_path))
    assert refused.returncode == 2 and "box_office" in refused.stderr


def test_an_article_rewritten_without_its_event_loses_it(landing, db_path):
    cancelled = ["Netflix has cancelled <em>Night Shift</em> after two seasons.",
                 "The hospital drama followed a trauma team through a city's longest nights."]
    write(landing, "story.html", news_page("Night Shift cancelled", cancelled, published="2026-11-22T18:00:00+00:00"))
    assert run(landing, db_path).success
    assert rows(db_path, "select kind, status from events") == [("production_status", "cancelled")]
    renewed = ["Viewers of <em>Night Shift</em> kept watching through its second season.",
               "The hospital drama followed a trauma team through a city's longest nights."]
    write(landing, "story.html", news_page("Night Shift cancelled", renewed, published="2026-11-22T18:00:00+00:00"))
    assert run(landing, db_path).success
    assert rows(db_path, "select count(*) from events") == [(0,)]


def test_undated_articles_keep_their_place_in_the_views(landing, db_path):
    # A plain-text export without its date line: the article lands undated. Its award still names
    # its article, and a dated report of a figure is the latest over an undated one.
    write(landing, "undated/award.txt",
          "Dana Whitlock won the Golden Globe for best director for “Copper Sky” on Sunday.\n\n"
          "“Copper Sky”, the Halcyon Pictures release, opened to $50.1 million at the box office.\n")
    write(landing, "dated/weekend.html", news_page(
        "Weekend box office", ["<em>Copper Sky</em>, the Halcyon Pictures release, opened to $52.3 million this weekend.",
                               "Holdovers had a quiet weekend, and the family films held on to their screens."],
        site="Reel Ledger", published="2026-11-23T08:00:00+00:00"))
    result = run(landing, db_path)
    assert result.success
    assert not [c.check_name for c in result.get_asset_check_evaluations() if not c.passed]
    undated = rows(db_path, "select article_id from articles where published_date is null")
    assert len(undated) == 1
    assert rows(db_path, "select article_id from awards_by_person") == undated
    assert rows(db_path, "select article_id from awards_by_title") == undated
    dated = rows(db_path, "select article_id from articles where published_date is not null")
    assert rows(db_path, "select latest_amount, latest_article_id from box_office_by_title "
                         "where amount_kind = 'opening_weekend'") == [(52_300_000.0, dated[0][0])]
