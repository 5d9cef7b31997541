"""What the UI shows of a materialization: previews cut where a reader can tell, counts as the views count."""

from __future__ import annotations

import pytest

from pipeline.core.previews import shorten

from .harness import rows, run
from .newsroom import news_page, write


@pytest.mark.parametrize("text, width, shown", [
    ("We lost two days to the storm", 40, "We lost two days to the storm"),
    ("We lost two days to the storm", 12, "We lost two…"),          # "days" would be cut: it goes whole
    ("We lost two days to the storm", 13, "We lost two…"),
    ("We lost two days, then the storm", 17, "We lost two days…"),  # no comma dangling before the ellipsis
    ("line one\nline  two", 40, "line one line two"),                # one line in a table cell
    ("https://reel-ledger.example/a-very-long-address", 12, "https://ree…"),  # one long word is cut inside
])
def test_a_preview_is_cut_after_a_whole_word_with_an_ellipsis(text, width, shown):
    assert shorten(text, width) == shown
    assert len(shorten(text, width)) <= width


LONG_QUOTE = [
    "Director Celia Brandt finished shooting the drama Harbor Lights in Toronto this week.",
    "“We lost two days to the storm on the coast, and the ferry scenes we shot after it are the best thing "
    "in the film,” Brandt said.",
    "Northgate will release the drama in March.",
]


def markdown_rows(table: str) -> list[dict[str, str]]:
    header, _, *body = table.splitlines()
    names = [name.strip() for name in header.strip("|").split("|")]
    return [dict(zip(names, (cell.strip() for cell in line.strip("|").split(" | ")))) for line in body]


def test_the_quotes_materialization_previews_whole_words_and_counts_originals_only(landing, db_path):
    write(landing, "original.html", news_page("Brandt Wraps Harbor Lights", LONG_QUOTE, published="2026-11-20T10:00:00+00:00"))
    write(landing, "copy.html", news_page("Brandt Wraps Harbor Lights", LONG_QUOTE, site="Screen Wire",
                                          published="2026-11-21T10:00:00+00:00", variant=1))
    result = run(landing, db_path)
    assert result.success
    metadata = next(event.step_materialization_data.materialization.metadata
                    for event in result.get_asset_materialization_events()
                    if event.asset_key.to_user_string() == "quotes")
    said = rows(db_path, "select q.text, a.duplicate_of is not null from quotes q join articles a using (article_id) "
                         "where q.speaker = 'Celia Brandt'")
    assert sorted(copy for _, copy in said) == [False, True]  # quoted in the original and in its copy
    full = said[0][0]
    assert len(full) > 80

    shown = [row["quote"] for row in markdown_rows(metadata["newest_quotes"].value) if row["speaker"] == "Celia Brandt"]
    assert shown and all(cell.endswith("…") for cell in shown)
    for cell in shown:
        kept = cell.removesuffix("…")
        assert full.startswith(kept) and not full[len(kept)].isalnum()  # cut after a whole word

    # The copy repeats the original's quote: counted once, as quotes_per_speaker counts it.
    most_quoted = {row["speaker"]: row for row in markdown_rows(metadata["most_quoted"].value)}
    assert most_quoted["Celia Brandt"]["quotes"] == "1"
    assert rows(db_path, "select direct_quotes from quotes_per_speaker where speaker = 'Celia Brandt'") == [(1,)]
