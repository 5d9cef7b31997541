"""The quotes assets on a real DuckDB file: "what did X say about Y, and where?" in one query."""

from __future__ import annotations

from .harness import rows, run
from .newsroom import news_page, text_article, write

WHAT_DID_THEY_SAY = """
    select q.text, q.speaker, a.published_date::varchar, a.site
    from quotes q
    join quote_titles qt using (quote_id)
    join entities t on t.entity_id = qt.title_entity_id
    join articles a on a.article_id = q.article_id
    where q.speaker = ? and t.name = ?
    order by a.published_date, q.start_char
"""


def test_who_said_what_about_which_title(landing, db_path):
    write(landing, "a/hale.html", news_page(
        "Orbit Films Greenlights a Salt and Ember Sequel",
        [
            "Orbit Films has greenlit a sequel to the coastal thriller <em>Salt and Ember</em>, with producer Owen Hale "
            "returning and director Mateo Varga in early talks.",
            "“We never made the first one thinking about a franchise,” Hale said in a statement. “But audiences told us "
            "they want more, and we owe them a second chapter.”",
            "Varga, speaking to Screen Dispatch, said the story picks up three years later. “I kept a notebook the whole "
            "time we were in the edit,” he said.",
        ],
        site="Reel Ledger", published="2026-11-20T10:00:00+00:00",
    ))
    write(landing, "b/hale-again.txt", text_article("2026-12-01", [
        "Owen Hale is not in a hurry with the Salt and Ember sequel, the producer said on Monday.",
        '"We will shoot when the script is ready and not a day before," Hale told Screen Dispatch.',
    ]))
    result = run(landing, db_path)
    assert result.success
    failed = [(c.check_name, c.metadata) for c in result.get_asset_check_evaluations() if not c.passed]
    assert not failed

    said = rows(db_path, WHAT_DID_THEY_SAY.replace("?", "'Owen Hale'", 1).replace("?", "'Salt and Ember'", 1))
    assert [(text[:30], date, site) for text, _, date, site in said] == [
        ("We never made the first one th", "2026-11-20", "Reel Ledger"),
        ("But audiences told us they wan", "2026-11-20", "Reel Ledger"),
        # Reported speech counts too: "…, the producer said" is Hale, introduced as the producer.
        ("Owen Hale is not in a hurry wi", "2026-12-01", None),
        ("We will shoot when the script ", "2026-12-01", None),
    ]
    varga = rows(db_path, "select speaker, cue from quotes where text like 'I kept a notebook%'")
    assert varga == [("Mateo Varga", "said")]

    # The speaker's entity is the person, and a re-run changes nothing.
    assert rows(db_path, """select count(*) from quotes q join entities e on e.entity_id = q.speaker_entity_id
                            where e.name = 'Owen Hale' and e.entity_type = 'PERSON'""") == [(4,)]
    before = rows(db_path, "select * from quotes order by quote_id")
    assert run(landing, db_path).success
    assert rows(db_path, "select * from quotes order by quote_id") == before


def test_quotes_follow_a_changed_article(landing, db_path):
    path = write(landing, "story.txt", text_article("2026-10-01", [
        'Director Ama Boateng finished the edit. "It is the hardest film we have made," Boateng said.',
    ]))
    assert run(landing, db_path).success
    assert rows(db_path, "select text, speaker from quotes") == [("It is the hardest film we have made,", "Ama Boateng")]
    path.write_text(text_article("2026-10-01", [
        'Director Ama Boateng finished the edit. "It is the best film we have made," Boateng said.',
    ]))
    assert run(landing, db_path).success
    assert rows(db_path, "select text, speaker from quotes") == [("It is the best film we have made,", "Ama Boateng")]
