"""Dates in an article, as inclusive intervals with an ACLED time precision.

The first TimeSpan is the publication date (surface "", no span) when the Document has
one. Then, in text order, every date expression found by the patterns below, resolved
against the publication date following the benchmark guideline:

- absolute: "June 5, 2017", "5 June", "Monday, 17 March 2022", "2017-06-05" (precision 1);
  "18 or 19 December", "June 5-7" (2); "in March 2022", "late November", "since April",
  "last August" (3).
  A date without a year takes the publication's year, or the year before when that would
  put it after publication.
- relative: "today", "yesterday", "on Monday" (the latest such weekday on or before
  publication), "Wednesday night", "overnight", "last night", "over the last 24 hours",
  "a few days ago" (2-6 days before), "a day or so ago", "three days ago", "last week",
  "this week", "the past week", "over the weekend", "earlier this month", "last month".

Without a publication date, relative expressions (and dates without a year) give
``TimeSpan(start=None, end=None, precision=None)``: never the clock, never invented.
spaCy DATE entities the patterns miss are tried with python-dateutil.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from sitroom.model import Document, Span, TimeSpan

Interval = tuple[dt.date | None, dt.date | None, int | None]
UNANCHORED: Interval = (None, None, None)
DAY = dt.timedelta(days=1)

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

MONTH = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
NUM = r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
PART = r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)"
WD_PREFIX = rf"(?:{WEEKDAY},?\s+)?"


# ---------------------------------------------------------------- calendar arithmetic


def _num(word: str) -> int:
    word = word.lower().strip()
    return int(word) if word.isdigit() else _NUMBERS[word]


def _month(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _part_of_month(year: int, month: int, part: str | None) -> Interval:
    """The whole month (precision 3) or its early/middle/late third."""
    first, last = _month_range(year, month)
    part = (part or "").lower()
    if "early" in part or "beginning" in part or "start" in part:
        return first, first.replace(day=10), 3
    if "mid" in part:
        return first.replace(day=11), first.replace(day=20), 3
    if "late" in part or "end" in part:
        return first.replace(day=21), last, 3
    return first, last, 3


def _year_for(month: int, day: int, pub: dt.date) -> int:
    """The publication's year, or the year before when the date would come after publication."""
    return pub.year if dt.date(pub.year, month, min(day, 28)) <= pub else pub.year - 1


def _latest_weekday(pub: dt.date, weekday: int, strictly_before: bool = False) -> dt.date:
    back = (pub.weekday() - weekday) % 7
    return pub - dt.timedelta(days=back or (7 if strictly_before else 0))


def _months_back(pub: dt.date, n: int) -> tuple[int, int]:
    index = pub.year * 12 + pub.month - 1 - n
    return index // 12, index % 12 + 1


# ---------------------------------------------------------------- resolvers: (match, pub) -> interval


def _day_month(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """A day (or a range of two days) of a month, with or without the year."""
    month, day = _month(m["mon"]), int(re.sub(r"\D", "", m["day"]))
    day2 = int(re.sub(r"\D", "", m["day2"])) if m["day2"] else None
    if day2 is not None and day2 <= day:
        return None
    if m["year"]:
        year = int(m["year"])
    elif pub is None:
        return UNANCHORED
    else:
        year = _year_for(month, day, pub)
    try:
        start, end = dt.date(year, month, day), dt.date(year, month, day2 or day)
    except ValueError:  # "February 30"
        return None
    return start, end, 1 if day2 is None else 2


def _month_year(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """'March 2022', 'in March', 'late November', 'last August'."""
    month = _month(m["mon"])
    if m["year"]:
        year = int(m["year"])
    elif pub is None:
        return UNANCHORED
    elif (m["rel"] or "").lower() == "last":
        year = pub.year if month < pub.month else pub.year - 1
    elif (m["rel"] or "").lower() == "next":
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    return _part_of_month(year, month, m["part"])


def _iso(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    try:
        day = dt.date.fromisoformat(m["t"])
    except ValueError:
        return None
    return day, day, 1


def _weekday(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """'on Monday', 'Wednesday night', 'last Friday', 'next Tuesday'."""
    if pub is None:
        return UNANCHORED
    wd, rel = _WEEKDAYS[m["wd"].lower()], (m["rel"] or "").lower()
    if rel in ("next", "coming", "this coming"):
        day = pub + ((wd - pub.weekday() - 1) % 7 + 1) * DAY  # strictly after publication
    else:  # 'this Monday' in a report is mostly the one just past
        day = _latest_weekday(pub, wd, strictly_before=rel in ("last", "past"))
    return day, day, 1


def _relative(fn: Callable[[re.Match[str], dt.date], Interval | None]):
    """A resolver that needs the publication date; without one the interval is unanchored."""

    def resolve(m: re.Match[str], pub: dt.date | None) -> Interval | None:
        return UNANCHORED if pub is None else fn(m, pub)

    return resolve


def _days_back(lo: int, hi: int, precision: int = 2) -> Callable[[re.Match[str], dt.date], Interval]:
    """A fixed interval from ``lo`` to ``hi`` days before publication."""
    return _relative(lambda m, pub: (pub - lo * DAY, pub - hi * DAY, precision))


def _ago(m: re.Match[str], pub: dt.date) -> Interval:
    """'three days ago', 'two weeks ago', 'a month ago', 'a few days ago'."""
    unit = m["unit"].lower().rstrip("s")
    vague = m["n"] is None
    n = 1 if vague else _num(m["n"])
    if unit == "day":
        return (pub - 6 * DAY, pub - 2 * DAY, 2) if vague else (pub - n * DAY, pub - n * DAY, 1)
    if unit == "week":
        if vague:
            return pub - 28 * DAY, pub - 10 * DAY, 3
        return pub - (7 * n + 3) * DAY, pub - (7 * n - 3) * DAY, 2
    if vague:
        return pub - 120 * DAY, pub - 45 * DAY, 3
    return (*_month_range(*_months_back(pub, n)), 3)


_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30}
_VAGUE_COUNT = {"hour": 24, "day": 6, "week": 3, "month": 3}  # 'the past few hours/days/...'


def _past(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """'over the last 24 hours', 'in the past three days', 'the past week', 'the last few days'."""
    word, unit = (m["n"] or "").lower(), m["unit"].lower()
    if not word and unit.endswith("s"):  # "the last days of the siege"
        return None
    if pub is None:
        return UNANCHORED
    unit = unit.rstrip("s")
    n = _VAGUE_COUNT[unit] if word in ("few", "several") else (_num(word) if word else 1)
    days = max(1, math.ceil(n * _UNIT_DAYS[unit]))
    return pub - days * DAY, pub, 2 if days <= 14 else 3


def _week(m: re.Match[str], pub: dt.date) -> Interval:
    """'last week' (the previous Monday-Sunday), 'this week', 'earlier this week', 'later this week'."""
    monday = pub - pub.weekday() * DAY
    which = m["t"].lower()
    if "last" in which or "previous" in which:
        return monday - 7 * DAY, monday - DAY, 2
    if "later" in which:
        return pub, monday + 6 * DAY, 2
    return monday, pub, 2


def _month_rel(m: re.Match[str], pub: dt.date) -> Interval:
    """'last month', 'this month', 'earlier this month'."""
    if "last" in m["t"].lower() or "previous" in m["t"].lower():
        return (*_month_range(*_months_back(pub, 1)), 3)
    return pub.replace(day=1), pub, 3


def _weekend(m: re.Match[str], pub: dt.date) -> Interval:
    """The latest Saturday-Sunday on or before publication."""
    saturday = _latest_weekday(pub, 5)
    return saturday, min(saturday + DAY, pub), 2


# ---------------------------------------------------------------- patterns


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], dt.date | None], Interval | None]
    gate: str = ""  # "always": only where spaCy also saw a DATE/TIME; "bare": that, unless a cue word came with it


def _rule(pattern: str, resolve, gate: str = "") -> _Rule:
    return _Rule(re.compile(pattern), resolve, gate)


_DAY1 = rf"(?<![\d.,:])(?P<day>{DNUM})"
_DAY2 = rf"(?:\s*(?:-|–|to|and|or)\s*(?P<day2>{DNUM}))?"
_YEAR_OPT = rf"(?:,?\s+(?P<year>{YEAR})\b)?"

RULES: tuple[_Rule, ...] = (
    # absolute
    _rule(rf"(?P<t>{WD_PREFIX}(?P<mon>{MONTH})\s+(?:the\s+)?{_DAY1}{_DAY2}(?![\d:]){_YEAR_OPT})", _day_month),
    _rule(rf"(?P<t>{WD_PREFIX}(?:the\s+)?{_DAY1}{_DAY2}(?:\s+of)?\s+(?P<mon>{MONTH}){_YEAR_OPT})", _day_month),
    _rule(
        rf"(?P<t>(?:(?P<part>{PART})[\s-]+)?(?:(?P<rel>last|next)\s+)?(?P<mon>{MONTH})\s+(?:of\s+)?(?P<year>{YEAR}))\b",
        _month_year,
    ),
    _rule(
        rf"(?:\b(?i:in|since|during|until|till|by|from|through|throughout|before|after)\s+)"
        rf"(?P<t>(?:(?P<part>{PART})[\s-]+)?(?P<mon>{MONTH}))(?!\s*\d)(?P<year>)(?P<rel>)",
        _month_year,
        gate="always",  # "a speech by May"
    ),
    _rule(
        rf"(?P<t>(?:(?P<part>(?i:{PART}))[\s-]+|(?P<rel>(?i:last|next))\s+)(?P<mon>{MONTH}))(?!\s*\d)(?P<year>)",
        _month_year,
        gate="always",
    ),
    _rule(r"(?<![\d-])(?P<t>(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\d-])", _iso),
    # weekdays
    _rule(
        rf"(?:\b(?i:on|since|by|until|from)\s+)?(?P<t>(?:(?P<rel>(?i:last|next|this coming|this|coming|past))\s+)?"
        rf"(?<!Good )(?<!Black )(?<!Bloody )(?<!Holy )"
        rf"(?P<wd>{WEEKDAY})(?:\s+(?i:morning|afternoon|evening|night|overnight))?)\b",
        _weekday,
        gate="bare",  # "Good Friday", "the Sunday Times"
    ),
    # relative to the publication date
    _rule(r"(?i)\b(?P<t>today|tonight|this (?:morning|afternoon|evening)|(?:earlier|later) today)\b",
          _relative(lambda m, pub: (pub, pub, 1))),
    _rule(r"(?i)\b(?P<t>the day before yesterday)\b", _days_back(2, 2, 1)),
    _rule(r"(?i)\b(?P<t>yesterday(?: (?:morning|afternoon|evening))?)\b", _days_back(1, 1, 1)),
    _rule(r"(?i)\b(?P<t>last night|overnight|yesterday night)\b", _days_back(1, 0)),
    _rule(r"(?i)\b(?P<t>tomorrow)\b", _relative(lambda m, pub: (pub + DAY, pub + DAY, 1))),
    _rule(r"(?i)\b(?P<t>an? day or (?:so|two) ago)\b", _days_back(2, 1)),
    _rule(r"(?i)\b(?P<t>a couple of days ago)\b", _days_back(3, 2)),
    _rule(
        rf"(?i)\b(?P<t>(?:(?P<n>{NUM})|an? few|several|few)\s+(?P<unit>days?|weeks?|months?)\s+ago)\b",
        _relative(_ago),
    ),
    _rule(  # "last week" alone is the calendar week before: see below
        rf"(?i)\b(?!last\s+(?:week|month)\b)(?P<t>(?:the\s+)?(?:last|past)\s+"
        rf"(?:(?P<n>{NUM}|few|several)\s+)?(?P<unit>hours|days|weeks?|months?))\b",
        _past,
    ),
    _rule(r"(?i)\b(?P<t>recent days)\b", _days_back(6, 0)),
    _rule(r"(?i)\b(?P<t>(?:last|previous|this|(?:earlier|later) this) week)\b", _relative(_week)),
    _rule(r"(?i)\b(?P<t>(?:last|previous|this|earlier this) month)\b", _relative(_month_rel)),
    _rule(r"(?i)\b(?P<t>(?:the|this|last) weekend)\b", _relative(_weekend)),
)


# ---------------------------------------------------------------- extraction


def _fallback(text: str, pub: dt.date | None) -> Interval | None:
    """A spaCy DATE entity the patterns missed, parsed with dateutil when it names a month."""
    if not re.search(MONTH, text):
        return None
    from dateutil import parser

    try:
        a = parser.parse(text, default=dt.datetime(1904, 1, 1))
        b = parser.parse(text, default=dt.datetime(1905, 2, 2))
    except (ValueError, OverflowError):
        return None
    if a.month != b.month:
        return None
    year = a.year if a.year == b.year else None
    if year is None and pub is None:
        return UNANCHORED
    if a.day == b.day:
        year = year or _year_for(a.month, a.day, pub)
        day = dt.date(year, a.month, a.day)
        return day, day, 1
    return _part_of_month(year or _year_for(a.month, 1, pub), a.month, None)


def extract(doc, document: Document) -> list[TimeSpan]:
    """The publication date, then every date expression of the text in order."""
    pub = document.published
    text = doc.text
    entities = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]

    hits: list[tuple[int, int, Interval]] = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            s, e = m.span("t")
            cued = m.span() != (s, e) or bool(m.groupdict().get("rel"))
            gated = rule.gate == "always" or (rule.gate == "bare" and not cued)
            if gated and not any(s < ee and ss < e for ss, ee in entities):
                continue
            interval = rule.resolve(m, pub)
            if interval is not None:
                hits.append((s, e, interval))
    for s, e in entities:
        if not any(s < he and hs < e for hs, he, _ in hits):
            interval = _fallback(text[s:e], pub)
            if interval is not None:
                hits.append((s, e, interval))

    kept: list[tuple[int, int, Interval]] = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):  # longest first
        if not any(hit[0] < e and s < hit[1] for s, e, _ in kept):
            kept.append(hit)
    kept.sort()

    out = [TimeSpan("", None, pub, pub, 1)] if pub else []
    out += [TimeSpan(text[s:e], Span(s, e), *interval) for s, e, interval in kept]
    return out
