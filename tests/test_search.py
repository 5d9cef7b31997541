"""Full-text search: the index lands with the data, follows changed articles, and answers from SQL and the CLI."""

from __future__ import annotations

from .harness import film_news, rows, run
from .newsroom import news_page, text_article, write

SEQUEL_PAGE = news_page(
    "Orbit Films Greenlights a Salt and Ember Sequel",
    [
        "Orbit Films has greenlit a sequel to the coastal thriller <em>Salt and Ember</em>, with producer Owen Hale "
        "returning and director Mateo Varga in early talks.",
        "“We never made the first one thinking about a sequel,” Hale said in a statement. “But audiences told us "
        "they want more, and we owe them a second chapter.”",
        "Varga said the story picks up three years later in a seaside café. “I kept a notebook the whole "
        "time we were in the edit,” he said.",
    ],
    site="Reel Ledger", published="2026-11-20T10:00:00+00:00",
)
FESTIVAL_NOTE = text_article("2025-05-02", [
    "Director Ama Boateng brought her documentary Glass Harbor to the festival on Friday.",
    "“The festival crowd was kinder than I expected,” Boateng said after the screening.",
])


def test_quotes_and_articles_are_found_by_their_words_ranked_and_without_accents(landing, db_path):
    write(landing, "a/sequel.html", SEQUEL_PAGE)
    write(landing, "b/festival.txt", FESTIVAL_NOTE)
    assert run(landing, db_path).success

    found = rows(db_path, "select speaker, text from search_quotes('sequel franchise')")
    assert found[0] == ("Owen Hale", "We never made the first one thinking about a sequel,")
    assert all("sequel" in text.casefold() for _, text in found)
    # Case and accents do not matter; stopwords alone find nothing.
    assert rows(db_path, "select count(*) from search_articles('CAFE')") == [(1,)]
    assert rows(db_path, "select count(*) from search_quotes('the and of')") == [(0,)]
    # Rarer words weigh more: the article about the festival ranks first for its own words.
    ranked = rows(db_path, "select title is null, score from search_articles('festival director')")
    assert len(ranked) == 2 and ranked[0][0] and ranked[0][1] > ranked[1][1]


def test_the_index_follows_a_changed_article_and_leaves_the_others_alone(landing, db_path):
    write(landing, "a/sequel.html", SEQUEL_PAGE)
    write(landing, "b/festival.txt", FESTIVAL_NOTE)
    assert run(landing, db_path).success
    keys_before = rows(db_path, "select doc_key, doc_id from search.documents order by doc_key")

    # Nothing new: the index is not rebuilt.
    assert run(landing, db_path).success
    assert rows(db_path, "select doc_key, doc_id from search.documents order by doc_key") == keys_before

    write(landing, "b/festival.txt", text_article("2025-05-02", [
        "Director Ama Boateng brought her documentary Glass Harbor to the premiere on Friday.",
        "“The premiere crowd was tougher than I expected,” Boateng said.",
    ]))
    assert run(landing, db_path).success
    assert rows(db_path, "select count(*) from search_quotes('festival')") == [(0,)]
    assert rows(db_path, "select speaker from search_quotes('tougher')") == [("Ama Boateng",)]
    # The unchanged article keeps its documents as they were; the changed one has new ones.
    sequel_docs = "select doc_key, doc_id from search.documents where article_id in " \
                  "(select article_id from articles where title like 'Orbit%') order by doc_key"
    assert set(rows(db_path, sequel_docs)) <= set(keys_before)
    quotes_of_sequel = rows(db_path, "select count(*) from quotes where article_id in "
                                     "(select article_id from articles where title like 'Orbit%')")[0][0]
    assert len(rows(db_path, sequel_docs)) == 1 + quotes_of_sequel  # the article and each of its quotes
    stats = dict(rows(db_path, "select kind, documents from search.stats"))
    assert stats == dict(rows(db_path, "select kind, count(*) from search.documents group by kind"))


def test_search_from_the_command_line_with_filters(landing, db_path):
    write(landing, "a/sequel.html", SEQUEL_PAGE)
    write(landing, "b/festival.txt", FESTIVAL_NOTE)
    assert film_news("run", "--input", str(landing), "--db", str(db_path)).returncode == 0

    def search(*args: str) -> list[str]:
        done = film_news("search", *args, "--db", str(db_path), "--format", "csv")
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[1:]

    assert len(search("notebook", "crowd")) == 2
    assert [line.split(",")[3] for line in search("notebook", "crowd", "--speaker", "boateng")] == ["Ama Boateng"]
    assert len(search("notebook", "crowd", "--since", "2026-01-01")) == 1
    assert len(search("sequel", "--title", "salt and ember")) >= 1
    assert search("crowd", "--title", "salt and ember") == []
    assert len(search("festival", "--in", "articles")) == 1

    bad = film_news("search", "crowd", "--since", "2026-13-01", "--db", str(db_path))
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
    mixed = film_news("search", "crowd", "--in", "articles", "--speaker", "Hale", "--db", str(db_path))
    assert mixed.returncode == 2 and "--speaker" in mixed.stderr


def test_a_search_of_only_words_the_index_leaves_out_says_so(tmp_path):
    # An empty published warehouse is enough: the words are refused before any is looked up.
    from pipeline import warehouse
    from pipeline.defs.publish.store import publish_snapshot

    db = tmp_path / "film_news.duckdb"
    warehouse.connect(db).close()
    publish_snapshot(db)
    done = film_news("search", "the", "said", "--db", str(db))
    assert done.returncode == 2 and done.stdout == ""
    assert 'every word of "the said"' in done.stderr and "rarer word" in done.stderr
    assert "Traceback" not in done.stderr
    kept = film_news("search", "the", "sequel", "--db", str(db))
    assert kept.returncode == 0, kept.stderr
