"""Dates and sums of money as written in news, made values: a DATE span resolved against the
article's publication date ("on Friday", "this weekend", "next March", "summer 2027"), a MONEY
span as an amount in units with its ISO 4217 currency ("$50.2 million", "£1.2bn").

Absolute and weekday dates go to ``dateparser`` (relative to the publication date, towards the
past or the future as the sentence's tense says); what it reads wrongly for news is settled here
first: a weekend is its Friday (box office reports a weekend by its Friday), a season is its year,
"next March" is a month, and a duration ("three weeks", "the 1990s") is no date at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAY_NUMBERS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
WEEKDAY_NUMBERS |= {name.lower(): number for number, name in enumerate(calendar.day_abbr)}
WEEKDAYS = set(WEEKDAY_NUMBERS)
# The last month of each season: a season named in a future statement after its end is next year's.
SEASON_END = {"spring": 5, "summer": 8, "midsummer": 8, "fall": 11, "autumn": 11, "winter": 14, "midwinter": 14,
              "holiday": 12, "holidays": 12}
# Holidays the release calendar names, by (month, day); Thanksgiving (the fourth Thursday of
# November) is computed.
HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "boxing day": (12, 26),
            "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14), "halloween": (10, 31),
            "independence day": (7, 4), "fourth of july": (7, 4), "july fourth": (7, 4)}

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DECADE = re.compile(r"\b(1[89]\d0|20\d0)[’']?s\b|\b[’']\d0s\b")
_DURATION = re.compile(r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|couple of)\s+"
                       r"(?:days?|weeks?|months?|years?|decades?|weekends?)\b(?!\s+(?:ago|later|from))")
_NUMERIC = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")


def _weekend_friday(published: dt.date, which: str) -> dt.date:
    """The Friday of "this", "last" or "next" weekend as an article of ``published`` means it: this
    weekend is the one under way or just over from Friday to Monday, else the coming one."""
    weekday = published.weekday()  # Monday 0 … Sunday 6
    if weekday in (4, 5, 6):
        friday = published - dt.timedelta(days=weekday - 4)
    elif weekday == 0:
        friday = published - dt.timedelta(days=3)
    else:
        friday = published + dt.timedelta(days=4 - weekday)
    if which == "last" and weekday != 0:  # on a Monday, last weekend is the one just over
        friday -= dt.timedelta(days=7)
    elif which == "next":
        friday += dt.timedelta(days=7)
    return friday


def weekend_of_report(published: dt.date) -> dt.date:
    """The Friday of the weekend a box-office report of ``published`` gives figures for, when it
    gives no date: the last one begun (a Sunday's estimates, a Monday's actuals, a Wednesday's
    round-up are all of the weekend just gone)."""
    return published - dt.timedelta(days=(published.weekday() - 4) % 7)


def _weekday_near(published: dt.date, weekday: int, which: str | None, future: bool) -> dt.date:
    """The day a weekday names in an article of ``published``: the day itself when it is that day
    ("released Monday" in Monday's paper), else the last such day before it in a past statement and
    the next one in a future statement; "last" and "next" say so outright."""
    ahead = (weekday - published.weekday()) % 7
    behind = (published.weekday() - weekday) % 7
    if which in ("last", "this past"):
        return published - dt.timedelta(days=behind or 7)
    if which in ("next", "this coming"):
        return published + dt.timedelta(days=ahead or 7)
    if ahead == 0:
        return published
    return published + dt.timedelta(days=ahead) if future else published - dt.timedelta(days=behind)


def _thanksgiving(year: int) -> dt.date:
    november = [day for day in calendar.Calendar().itermonthdates(year, 11) if day.month == 11 and day.weekday() == 3]
    return november[3]


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2}
# "in six weeks", "in a scant two months": a time from the paper's day, in a statement of the future.
_IN_A_WHILE = re.compile(r"in (?:(?:a |an )?(?:scant|mere|about|around|roughly|just|only|another|little over|"
                         r"little under|less than|more than|under|over) )*(\d+|" + "|".join(_NUMBER_WORDS) +
                         r") (day|week|month|year)s?")


def resolve_date(written: str, published: dt.date | None, future: bool) -> tuple[dt.date, str] | None:
    """``(date, precision)`` for a DATE span, or None when it names no date (a duration, a decade) or
    needs a publication date the article lacks. Precision is day, month (the date is the 1st) or
    year (January 1st). ``future`` says which way a weekday or a month without a year points."""
    text = re.sub(r"\s+", " ", written.strip().lower().replace("’", "'"))
    in_a_while = _IN_A_WHILE.fullmatch(text)
    if in_a_while is not None:
        # Only a future statement counts from the paper's day ("sold out in six weeks" is a duration);
        # weeks and months are as precise as their month, years as their year.
        if not future or published is None:
            return None
        count = int(in_a_while.group(1)) if in_a_while.group(1).isdigit() else _NUMBER_WORDS[in_a_while.group(1)]
        unit = in_a_while.group(2)
        if unit == "day":
            return published + dt.timedelta(days=count), "day"
        if unit == "year":
            return dt.date(published.year + count, 1, 1), "year"
        day = published + dt.timedelta(weeks=count) if unit == "week" else \
            dt.date(published.year + (published.month - 1 + count) // 12, (published.month - 1 + count) % 12 + 1, 1)
        return day.replace(day=1), "month"
    text = re.sub(r"^(?:on|in|by|for|from|until|since|of|as of|the|this past|around|about)\s+", "", text)
    if not text or _DECADE.search(text) or _DURATION.search(text):
        return None
    year_match = _YEAR.search(text)
    explicit_year = int(year_match.group(1)) if year_match else None

    if "weekend" in text:
        # "this weekend", "last weekend", "the weekend"; "its opening weekend", "a second weekend" name no date.
        if published is None or not re.fullmatch(r"(?:(?:this|last|next|past|coming|this past|this coming|the)\s+)?weekend", text):
            return None
        which = "last" if re.search(r"\b(?:last|past|previous)\b", text) else "next" if "next" in text else "this"
        return _weekend_friday(published, which), "day"

    for name, (month, day) in HOLIDAYS.items():
        if re.search(rf"\b{re.escape(name)}\b", text):
            year = explicit_year or _year_ahead(published, month, day, future)
            return (dt.date(year, month, day), "day") if year else None
    if "thanksgiving" in text:
        year = explicit_year or (published.year if published else None)
        return (_thanksgiving(year), "day") if year else None

    season = next((s for s in SEASON_END if re.search(rf"\b{s}\b", text)), None)
    if season is not None:
        if explicit_year:
            return dt.date(explicit_year, 1, 1), "year"
        if published is None:
            return None
        year = published.year + (1 if "next" in text else -1 if re.search(r"\blast\b", text) else 0)
        if "next" not in text and "last" not in text and future and published.month > SEASON_END[season]:
            year += 1
        return dt.date(year, 1, 1), "year"

    relative_year = re.fullmatch(r"(?:early |late |mid-|mid |later |earlier )?(this|next|last) year", text)
    if relative_year:
        if published is None:
            return None
        offset = {"this": 0, "next": 1, "last": -1}[relative_year.group(1)]
        return dt.date(published.year + offset, 1, 1), "year"

    next_month = re.fullmatch(r"(?:early |late |mid-|mid )?(next|this|last) ([a-z]+)\.?", text)
    if next_month and next_month.group(2) in MONTHS:
        if published is None:
            return None
        month = MONTHS[next_month.group(2)]
        which = next_month.group(1)
        year = published.year
        if which == "next" and month <= published.month:
            year += 1
        elif which == "last" and month >= published.month:
            year -= 1
        return dt.date(year, month, 1), "month"

    weekday = re.fullmatch(r"(?:(last|this|next|this past|this coming) )?([a-z]+)\.?(?: night| morning| evening)?", text)
    if weekday and weekday.group(2) in WEEKDAY_NUMBERS:
        if published is None:
            return None
        return _weekday_near(published, WEEKDAY_NUMBERS[weekday.group(2)], weekday.group(1), future), "day"

    words = set(re.findall(r"[a-z]+", text))
    if not (words & set(MONTHS) or words & WEEKDAYS or explicit_year or _NUMERIC.search(text)
            or words & {"today", "tomorrow", "yesterday", "tonight"}):
        return None
    if explicit_year and not (words & set(MONTHS) or _NUMERIC.search(text)):
        return dt.date(explicit_year, 1, 1), "year"  # "early 2027", "the 2027 season"
    month_words = [w for w in words if w in MONTHS]
    if month_words and not re.search(r"\d", text) and not words & WEEKDAYS:
        # A month alone ("in April", "Dec."): the month, this year's or the next's as the tense says.
        month = MONTHS[month_words[0]]
        year = _year_ahead(published, month, 15, future) if published else None
        return (dt.date(year, month, 1), "month") if year else None
    text = re.sub(r"^(?:early|late|mid|mid-)\s*", "", text)
    if published is None and not explicit_year:
        return None
    month_day = re.fullmatch(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?", text) or re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?", text)
    if month_day and published is not None:
        month_word, day = (month_day.group(1), month_day.group(2)) if month_day.group(1).isalpha() else (month_day.group(2), month_day.group(1))
        if month_word in MONTHS:
            # News names the dates around its day: "April 7" in a March paper is next month's, "Dec. 31" in
            # a paper of Dec. 29 this year's, whatever the tense of the sentence around it.
            candidates = []
            for year in (published.year - 1, published.year, published.year + 1):
                try:
                    candidates.append(dt.date(year, MONTHS[month_word], int(day)))
                except ValueError:
                    pass
            if candidates:
                return min(candidates, key=lambda d: (abs((d - published).days), d < published)), "day"
    settings = {"PREFER_DATES_FROM": "future" if future else "past", "PREFER_DAY_OF_MONTH": "first"}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime(published.year, published.month, published.day)
    parsed = _parse(text, settings)
    if parsed is None:
        return None
    date, period = parsed
    if published is not None and abs(date.year - published.year) > 30:
        return None
    if period == "year":
        return dt.date(date.year, 1, 1), "year"
    if period == "month":
        return dt.date(date.year, date.month, 1), "month"
    return date, "day"


def _parse(text: str, settings: dict) -> tuple[dt.date, str] | None:
    found = _dateparser_with(tuple(sorted(settings.items(), key=lambda kv: kv[0]))).get_date_data(text)
    if found is None or found.date_obj is None:
        return None
    return found.date_obj.date(), found.period or "day"


@functools.lru_cache(maxsize=8)
def _dateparser_with(settings: tuple):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings=dict(settings))


def _year_ahead(published: dt.date | None, month: int, day: int, future: bool) -> int | None:
    """The year of a month and day named without one: the next such day in a future statement, the
    last one in a past statement."""
    if published is None:
        return None
    candidate = dt.date(published.year, month, day)
    if future and candidate < published - dt.timedelta(days=7):
        return published.year + 1
    if not future and candidate > published + dt.timedelta(days=7):
        return published.year - 1
    return published.year


_MONEY = re.compile(
    r"(?P<sign>US\$|A\$|AU\$|C\$|CA\$|HK\$|NZ\$|R\$|[$£€¥₹₩])?\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*-?\s*"
    r"(?P<multiplier>[a-z]+\b)?\s*(?P<word>[a-z]+)?",
    re.IGNORECASE,
)


def parse_money(written: str, currencies: dict) -> tuple[float, str] | None:
    """``(amount, ISO 4217 code)`` of a MONEY span, or None when it gives no currency or no number
    (a range gives its first figure: "$40-45 million" is read as 40 million)."""
    match = _MONEY.search(written.replace("\u00a0", " "))
    if match is None:
        return None
    number = float(match.group("number").replace(",", ""))
    multiplier_word = (match.group("multiplier") or "").lower()
    multiplier = currencies["multipliers"].get(multiplier_word)
    if multiplier is None and re.search(r"\d\s*-\s*\d", written):
        # "$40-45 million": the multiplier follows the second number.
        tail = re.search(r"-\s*\d[\d,.]*\s*([a-z]+)", written, re.IGNORECASE)
        multiplier = currencies["multipliers"].get((tail.group(1) if tail else "").lower())
    amount = number * (multiplier or 1.0)
    sign = match.group("sign")
    currency = currencies["signs"].get(sign) if sign else None
    if currency is None:
        for word in re.findall(r"[a-z]+", written.lower()):
            if word in currencies["words"]:
                currency = currencies["words"][word]
                break
    if currency is None or amount <= 0:
        return None
    return round(amount, 2), currency
