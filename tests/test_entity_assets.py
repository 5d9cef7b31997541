"""The mentions and entities assets on a real DuckDB file: ids, aliases and counts across articles."""

from __future__ import annotations

from pathlib import Path

from .harness import rows, run
from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, news_page, text_article, write


def entity(db_path: Path, name: str) -> tuple:
    found = rows(db_path, "select entity_id, entity_type, aliases, article_count from entities where name = ?".replace("?", f"'{name}'"))
    assert len(found) == 1, f"{name} should be one entity, got {found}"
    return found[0]


def test_entities_are_resolved_across_articles_with_stable_ids(landing, db_path):
    write(landing, "a/harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    write(landing, "b/brandt.txt", text_article("2026-10-05", HARBOR_LIGHTS_INTERVIEW))
    result = run(landing, db_path)
    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations()), [
        (c.check_name, c.metadata) for c in result.get_asset_check_evaluations() if not c.passed]

    brandt_id, brandt_type, brandt_aliases, brandt_count = entity(db_path, "Celia Brandt")
    assert brandt_type == "PERSON"
    assert brandt_count == 2, "named in both articles"
    assert "Brandt" in brandt_aliases
    # The article that describes it ("Harbor Lights, the long-gestating drama") makes it a title; an
    # article's mentions never borrow a type from another article, so the interview keeps its own reading.
    assert rows(db_path, """select e.entity_type from mentions m join entities e using (entity_id)
                            join articles a using (article_id)
                            where m.text = 'Harbor Lights' and a.source_path like '%harbor.html' limit 1""") == [("TITLE",)]
    assert entity(db_path, "Northgate Studios")[1] == "ORG"
    assert entity(db_path, "Toronto")[1] == "PLACE"

    # Every mention slices its article's text to exactly the surface form.
    mismatches = rows(db_path, """select count(*) from mentions m join articles a using (article_id)
                                  where substring(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.text""")
    assert mismatches == [(0,)]

    # Each mention says which rule of the typing policy decided its type: the bare surname was
    # resolved to the person named in full, the full name kept its recognizer's type.
    decided = dict(rows(db_path, "select text, rule from mentions where entity_id = '%s'" % brandt_id))
    assert decided["Brandt"] == "person_by_name"
    assert rows(db_path, "select count(*) from mentions where rule is null") == [(0,)]

    before = rows(db_path, "select * from entities order by entity_id")
    mentions_before = rows(db_path, "select * from mentions order by article_id, start_char")
    assert run(landing, db_path).success
    assert rows(db_path, "select * from entities order by entity_id") == before
    assert rows(db_path, "select * from mentions order by article_id, start_char") == mentions_before

    # A full rebuild derives the very same ids.
    assert run(landing, db_path, full_refresh=True).success
    assert entity(db_path, "Celia Brandt")[0] == brandt_id


def test_article_count_follows_new_and_changed_articles(landing, db_path):
    write(landing, "a/harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert run(landing, db_path).success
    assert entity(db_path, "Omar Feld")[3] == 1

    write(landing, "b/casting.txt", text_article("2026-10-08", [
        "Omar Feld has joined the cast of Copper Mile for its third season, Streamline said on Tuesday.",
        "Feld, who stars in Celia Brandt's upcoming Harbor Lights, will play a rival prospector.",
    ]))
    assert run(landing, db_path).success
    assert entity(db_path, "Omar Feld")[3] == 2

    # The new article is rewritten without Feld: its mentions go, and his count drops back.
    write(landing, "b/casting.txt", text_article("2026-10-08", [
        "Greta Lund has joined the cast of Copper Mile for its third season, Streamline said on Tuesday.",
        "Lund, who stars in Celia Brandt's upcoming Harbor Lights, will play a rival prospector.",
    ]))
    assert run(landing, db_path).success
    assert entity(db_path, "Omar Feld")[3] == 1
    assert entity(db_path, "Greta Lund")[3] == 2
    orphans = rows(db_path, "select count(*) from entities e left join mentions m using (entity_id) where m.entity_id is null")
    assert orphans == [(0,)]


def test_people_sharing_a_surname_in_different_articles_stay_apart(landing, db_path):
    write(landing, "a.txt", text_article("2026-10-01", [
        "Director Paolo Brandt has started shooting his heist film in Savannah. Brandt said the shoot would last eight weeks.",
    ]))
    write(landing, "b.txt", text_article("2026-10-02", [
        "Filmmaker Celia Brandt will receive a career award in Toronto. Brandt thanked her longtime editor.",
    ]))
    assert run(landing, db_path).success
    paolo, celia = entity(db_path, "Paolo Brandt"), entity(db_path, "Celia Brandt")
    assert paolo[0] != celia[0]
    assert paolo[3] == 1 and celia[3] == 1
    assert not rows(db_path, "select * from entities where name = 'Brandt'")
