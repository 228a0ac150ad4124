"""Dates in an article, as inclusive intervals with an ACLED time precision.

The first TimeSpan is the publication date (surface "", no span) when the Document has
one. Then, in text order, every date expression found by the patterns below, resolved
against the publication date following the benchmark guideline:

- absolute: "June 5, 2017", "5 June", "Monday, 17 March 2022", "2017-06-05" (precision 1);
  "18 or 19 December", "June 5-7", "30 November to 2 December" (2); "in March 2022",
  "late November", "since April", "last August", "in 2020", "mid-2014", "the summer of 2016" (3).
  A date without a year takes the publication's year, or the year before when that would
  put it after publication; without a publication date, the year of the last full date
  before it in the text ("12 February 2015 ... on 15 February").
- relative to the publication date: "today", "yesterday", "on Monday" (the latest such
  weekday on or before publication, the next one when the clause looks ahead: "will meet on
  Monday"), "Wednesday night", "overnight", "last night", "over the last 24 hours",
  "a few days ago" (2-6 days before), "a day or so ago", "three days ago", "last week",
  "this week", "the past week", "over the weekend", "earlier this month", "last month",
  "last year", "late last year", "earlier this year", "in recent weeks".
- relative to the date told just before, in the same sentence if it has one: "the next day",
  "the day before", "two days later", "a day after", "on the 15th".

What vague phrases mean is data: ``lexicons/times.yaml``. Without a publication date, relative
expressions (and dates without a year, unless the text gave one) give
``TimeSpan(start=None, end=None, precision=None)``: never the clock, never invented.
spaCy DATE entities the patterns miss are tried with python-dateutil.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

try:  # the standard library's own parser of expressions, for _guarded (private: absent, the rules run unguarded)
    from re import _constants as _sre
    from re._parser import parse as _sre_parse
except ImportError:  # pragma: no cover - a Python whose re module is laid out otherwise
    _sre = _sre_parse = None

from sitroom.extract.nlp import ents_of, text_of
from sitroom.lexicons import load_yaml
from sitroom.model import Document, Span, TimeSpan

Interval = tuple[dt.date | None, dt.date | None, int | None]
UNANCHORED: Interval = (None, None, None)
DAY = dt.timedelta(days=1)

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

MONTH = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
NUM = r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
PART = r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)"
SEASON = r"(?:spring|summer|autumn|fall|winter)"
WD_PREFIX = rf"(?:{WEEKDAY},?\s+)?"


@functools.lru_cache(maxsize=1)
def _lex() -> dict:
    return load_yaml("times.yaml")


# ---------------------------------------------------------------- calendar arithmetic


def _num(word: str) -> int:
    word = word.lower().strip()
    return int(word) if word.isdigit() else int(_lex()["numbers"][word])


def _month(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _part_key(part: str | None) -> str:
    """'early', 'mid', 'late', 'the end of' → the key of times.yaml's parts tables ('' = whole)."""
    part = (part or "").lower()
    return next((k for k in ("early", "beginning", "start", "mid", "middle", "late", "end") if k in part), "")


def _part_of_month(year: int, month: int, part: str | None) -> Interval:
    """The whole month (precision 3) or its early/middle/late third."""
    first, last = _month_range(year, month)
    key = _part_key(part)
    if not key:
        return first, last, 3
    lo, hi = _lex()["parts_of_month"][key]
    return first.replace(day=lo), first.replace(day=min(hi, last.day)), 3


def _part_of_year(year: int, part: str | None) -> Interval:
    """The whole year or its early/middle/late part (precision 3: ACLED has nothing coarser)."""
    key = _part_key(part)
    lo, hi = _lex()["parts_of_year"][key] if key else (1, 12)
    return dt.date(year, lo, 1), _month_range(year, hi)[1], 3


def _season(year: int, season: str) -> Interval:
    lo, hi = _lex()["seasons"][season.lower()]
    end_year = year + 1 if hi < lo else year
    return dt.date(year, lo, 1), _month_range(end_year, hi)[1], 3


def _year_for(month: int, day: int, pub: dt.date) -> int:
    """The publication's year, or the year before when the date would come after publication."""
    return pub.year if dt.date(pub.year, month, min(day, 28)) <= pub else pub.year - 1


def _latest_weekday(pub: dt.date, weekday: int, strictly_before: bool = False) -> dt.date:
    back = (pub.weekday() - weekday) % 7
    return pub - dt.timedelta(days=back or (7 if strictly_before else 0))


def _next_weekday(pub: dt.date, weekday: int) -> dt.date:
    return pub + ((weekday - pub.weekday() - 1) % 7 + 1) * DAY  # strictly after publication


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


def _cross_month(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """'30 November to 2 December (2023)', 'November 30 - December 2': a range over two months."""
    m1, d1, m2, d2 = _month(m["mon"]), int(m["day"]), _month(m["mon2"]), int(m["day2"])
    if m["year"]:
        year2 = int(m["year"])
    elif pub is None:
        return UNANCHORED
    else:
        year2 = _year_for(m2, d2, pub)
    year1 = year2 if m1 <= m2 else year2 - 1
    try:
        start, end = dt.date(year1, m1, d1), dt.date(year2, m2, d2)
    except ValueError:
        return None
    return (start, end, 2) if start < end and (end - start).days <= 62 else None


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


def _year(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """'in 2020', 'since 2014', 'early 2015', 'mid-2014', 'late 2016'."""
    return _part_of_year(int(m["year"]), m["part"])


def _season_year(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """'the summer of 2016', 'in spring 2014', 'last summer', 'this winter'."""
    season, rel = m["season"].lower(), (m["rel"] or "").lower()
    if m["year"]:
        return _season(int(m["year"]), season)
    if pub is None:
        return UNANCHORED
    lo, _ = _lex()["seasons"][season]
    year = pub.year if lo <= pub.month else pub.year - 1  # the latest one that has begun
    if rel == "last" and dt.date(year, lo, 1) <= pub <= _season(year, season)[1]:
        year -= 1  # "last summer" said in summer is the one before
    if rel == "next":
        year += 1
    return _season(year, season)


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
        day = _next_weekday(pub, wd)
    else:  # 'this Monday' in a report is mostly the one just past
        day = _latest_weekday(pub, wd, strictly_before=rel in ("last", "past"))
    return day, day, 1


def _relative(fn: Callable[[re.Match[str], dt.date], Interval | None]):
    """A resolver that needs the publication date; without one the interval is unanchored."""

    def resolve(m: re.Match[str], pub: dt.date | None) -> Interval | None:
        return UNANCHORED if pub is None else fn(m, pub)

    return resolve


def _days_back(lo: int, hi: int, precision: int = 2) -> Callable[[re.Match[str], dt.date | None], Interval | None]:
    """A fixed interval from ``lo`` to ``hi`` days before publication."""
    return _relative(lambda m, pub: (pub - lo * DAY, pub - hi * DAY, precision))


def _ago(m: re.Match[str], pub: dt.date) -> Interval:
    """'three days ago', 'two weeks ago', 'a month ago', 'a few days ago', 'a year ago'."""
    unit = m["unit"].lower().rstrip("s")
    if m["n"] is None:
        lo, hi, precision = _lex()["vague_ago"][unit]
        return pub - lo * DAY, pub - hi * DAY, precision
    n = _num(m["n"])
    if unit == "day":
        return pub - n * DAY, pub - n * DAY, 1
    if unit == "week":
        return pub - (7 * n + 3) * DAY, pub - (7 * n - 3) * DAY, 2
    if unit == "year":
        return (*_month_range(*_months_back(pub, 12 * n)), 3)
    return (*_month_range(*_months_back(pub, n)), 3)


_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}


def _past(m: re.Match[str], pub: dt.date | None) -> Interval | None:
    """'over the last 24 hours', 'in the past three days', 'the past week', 'the last few days'."""
    word, unit = (m["n"] or "").lower(), m["unit"].lower()
    if not word and unit.endswith("s"):  # "the last days of the siege"
        return None
    if pub is None:
        return UNANCHORED
    unit = unit.rstrip("s")
    n = _lex()["vague_count"][unit] if word in ("few", "several") else (_num(word) if word else 1)
    days = max(1, math.ceil(n * _UNIT_DAYS[unit]))
    return pub - days * DAY, pub, 2 if days <= 14 else 3


def _week(m: re.Match[str], pub: dt.date) -> Interval:
    """'last week' (the previous Monday-Sunday), 'this week', 'earlier this week', 'later this
    week', 'early/late last week', 'next week'."""
    monday = pub - pub.weekday() * DAY
    which = m["t"].lower()
    if "last" in which or "previous" in which:
        start, end = monday - 7 * DAY, monday - DAY
        if which.startswith("early"):
            return start, start + 3 * DAY, 2
        if which.startswith("late"):
            return start + 3 * DAY, end, 2
        return start, end, 2
    if "next" in which:
        return monday + 7 * DAY, monday + 13 * DAY, 2
    if "later" in which:
        return pub, monday + 6 * DAY, 2
    return monday, pub, 2


def _month_rel(m: re.Match[str], pub: dt.date) -> Interval:
    """'last month', 'this month', 'earlier this month', 'late last month', 'early this month'."""
    which = m["t"].lower()
    if "last" in which or "previous" in which:
        return _part_of_month(*_months_back(pub, 1), m["part"])
    if "next" in which:
        return _part_of_month(*_months_back(pub, -1), m["part"])
    start, end, precision = _part_of_month(pub.year, pub.month, m["part"])
    return (start, min(end, pub), precision) if start <= pub else (pub.replace(day=1), pub, precision)


def _year_rel(m: re.Match[str], pub: dt.date) -> Interval:
    """'last year', 'late last year', 'this year', 'earlier this year', 'since the start of the year'."""
    which = m["t"].lower()
    if "last" in which or "previous" in which:
        return _part_of_year(pub.year - 1, m["part"])
    if "next" in which:
        return _part_of_year(pub.year + 1, m["part"])
    start, end, precision = _part_of_year(pub.year, m["part"])
    return (start, min(end, pub), precision) if start <= pub else (dt.date(pub.year, 1, 1), pub, precision)


def _weekend(m: re.Match[str], pub: dt.date) -> Interval:
    """The latest Saturday-Sunday on or before publication."""
    saturday = _latest_weekday(pub, 5)
    return saturday, min(saturday + DAY, pub), 2


# ---------------------------------------------------------------- resolvers relative to the date told before


def _shift(m: re.Match[str], anchor: dt.date) -> Interval:
    """'the next day', 'the day before', 'two days later', 'hours later': counted from the date
    told before. 'a day after X' and 'two days before X' date X itself, from the date of the
    clause they hang on: "withdrew on Tuesday, a day after the RSF announced ..." puts the
    announcement on Monday."""
    text = m["t"].lower()
    if "hour" in text or "minute" in text:
        return anchor, anchor, 1
    n = _num(m["n"]) if m["n"] else 1
    if "week" in text:
        n *= 7
    if re.search(r"\b(?:after|before|prior)$", text) and not text.startswith("the "):
        back = text.endswith("after")  # X is n days before the anchor
    else:
        back = any(w in text for w in ("before", "earlier", "previous", "preceding", "prior", "eve"))
    day = anchor - n * DAY if back else anchor + n * DAY
    return day, day, 1


def _day_of_anchor_month(m: re.Match[str], anchor: dt.date) -> Interval | None:
    """'on the 15th': that day of the month last told (or of the publication's month)."""
    day = int(re.sub(r"\D", "", m["day"]))
    year, month = anchor.year, anchor.month
    if m["from_pub"] and day > anchor.day:  # the publication's month: a day still to come is last month's
        year, month = _months_back(anchor, 1)
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return d, d, 1


# ---------------------------------------------------------------- patterns


# Speed: most articles hold no match of most rules, and a regular expression that does not start
# with a literal is tried at every position of the text. So each rule carries the literal words
# ("cues") that any match of it must contain, checked with ``in`` (fast) before the expression is
# run: a cue in lower case is looked for in the lower-cased text, one with a capital as written.
# The days_back rules, whose phrases are data, are gated instead by one expression joining them:
# none can match before that one's first match (see _lexicon_rules).
# Where the expression does run, it is led by a lookahead on the characters a match can start
# with (see _first_chars), "(?=[MTWFSt0-9])...": the search then gives up at most positions after
# one character instead of trying each optional group there. A lookahead consumes nothing, so the
# matches and their groups are the same.
_MONTH_CUES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_CUES = tuple(calendar.day_name)
_YEAR_CUES = ("19", "20")
_PART_CUES = ("early", "mid", "late", "end", "beginning", "start", "middle")


@dataclass(frozen=True, slots=True)
class _Cue:
    """Words of which any match of a rule contains at least one."""

    words: tuple[str, ...]
    cased: bool  # looked for as written (else in the lower-cased text)


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: Callable[..., Interval | None]
    gate: str = ""  # "always": only where spaCy also saw a DATE/TIME; "bare": that, unless a cue word came with it
    anchored: bool = False  # resolved against the date told before it (see _anchor)
    weekday: bool = False  # a bare weekday: the next one when its clause looks ahead
    cues: tuple[_Cue, ...] = ()  # a match contains a word of each (a necessary condition only)
    first: re.Pattern[str] | None = None  # no match starts before this expression's first match


def _first_chars(items, ignorecase: bool, cased: set[str], uncased: set[str]) -> bool | None:
    """Add to ``cased`` / ``uncased`` (to be read case-insensitively) the characters, as members
    of a regular-expression class, that a match of the parsed sequence ``items`` can start with.
    Returns whether the sequence can match the empty string, or None when the first character
    is not known (then no lookahead is put)."""
    for op, av in items:
        if op is _sre.LITERAL:
            (uncased if ignorecase else cased).add(re.escape(chr(av)))
            return False
        if op is _sre.IN:
            into = uncased if ignorecase else cased
            for kind, value in av:
                if kind is _sre.LITERAL:
                    into.add(re.escape(chr(value)))
                elif kind is _sre.RANGE:
                    into.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT:
                    into.add(r"\d")
                else:  # a negated class, \w, \s...
                    return None
            return False
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # \b, lookarounds: they consume nothing
            continue
        if op is _sre.SUBPATTERN:
            _, add, drop, sub = av
            flags = (_sre.SRE_FLAG_IGNORECASE if ignorecase else 0) | add
            empty = _first_chars(sub.data, bool(flags & ~drop & _sre.SRE_FLAG_IGNORECASE), cased, uncased)
        elif op is _sre.BRANCH:
            found = [_first_chars(branch.data, ignorecase, cased, uncased) for branch in av[1]]
            empty = None if None in found else any(found)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, _, sub = av
            empty = _first_chars(sub.data, ignorecase, cased, uncased)
            empty = None if empty is None else empty or low == 0
        else:  # any character, a back-reference...
            return None
        if empty is None:
            return None
        if not empty:
            return False
    return True


def _guarded(pattern: str) -> str:
    """The pattern led by a lookahead on the characters its matches can start with, when known."""
    if _sre_parse is None:
        return pattern
    try:
        parsed = _sre_parse(pattern)
    except Exception:  # noqa: BLE001 - an expression the standard parser's internals do not suit: run it as it is
        return pattern
    cased: set[str] = set()
    uncased: set[str] = set()
    ignorecase = bool(parsed.state.flags & _sre.SRE_FLAG_IGNORECASE)
    if _first_chars(parsed.data, ignorecase, cased, uncased) is not False:
        return pattern
    classes = [f"[{''.join(sorted(cased))}]"] if cased else []
    classes += [f"(?i:[{''.join(sorted(uncased))}])"] if uncased else []
    flags = re.match(r"\(\?[a-z]+\)", pattern)  # the lookahead goes after a leading "(?i)"
    at = flags.end() if flags else 0
    return f"{pattern[:at]}(?={'|'.join(classes)}){pattern[at:]}"


def _rule(pattern: str, resolve, gate: str = "", anchored: bool = False, weekday: bool = False,
          cues: tuple[tuple[str, ...], ...] = (), first: re.Pattern[str] | None = None) -> _Rule:
    return _Rule(re.compile(_guarded(pattern)), resolve, gate, anchored, weekday,
                 tuple(_Cue(words, any(w != w.lower() for w in words)) for words in cues), first)


def _lexicon_rules() -> tuple[_Rule, ...]:
    """The fixed intervals of times.yaml's days_back table."""
    table = _lex()["days_back"]
    # Where one of these phrases matches, this alternation of them all matches too (a branch that
    # fails backtracks into the next), so none matches before its first match. (Not with phrases
    # that hold groups of their own: their numbers, and back-references, would change.)
    first: re.Pattern[str] | None
    try:
        first = re.compile(_guarded(rf"(?i)\b(?:{'|'.join(f'(?:{phrase})' for phrase in table)})\b"))
    except re.error:
        first = None
    if first is not None and first.groups:
        first = None
    return tuple(
        _rule(rf"(?i)\b(?P<t>{phrase})\b", _days_back(int(lo), int(hi), int(precision)), first=first)
        for phrase, (lo, hi, precision) in table.items()
    )


_DAY1 = rf"(?<![\d.,:])(?P<day>{DNUM})"
_DAY2 = rf"(?:\s*(?:-|–|to|and|or)\s*(?P<day2>{DNUM}))?"
_YEAR_OPT = rf"(?:,?\s+(?P<year>{YEAR})\b)?"
_PREP = r"(?i:in|since|during|until|till|by|from|through|throughout|before|after|of)"
# nouns a number counts: "the 2000 troops" is no year
_COUNTED = (r"(?i:people|persons|civilians|fighters|troops|soldiers|men|women|children|residents|families|"
            r"refugees|prisoners|detainees|hostages|workers|police|policemen|officers|militants|rebels|members|"
            r"dead|killed|wounded|km|kilometres|kilometers|miles|metres|meters|tonnes|tons|dollars|euros|pounds|"
            r"homes|houses|buildings|vehicles|rounds|shells|rockets|missiles|drones|cases|votes|seats|delegates)")
_YEAR_PREP = r"(?i:in|since|during|until|till|by|from|through|throughout|before|after)"
# "May" and "March" are also a name and a verb: bare, they count only where spaCy saw a date
_AMBIGUOUS_MONTH = re.compile(r"(?i)^(?:may|march)$")


@functools.lru_cache(maxsize=1)
def rules() -> tuple[_Rule, ...]:
    return (
        # absolute
        _rule(rf"(?P<t>{WD_PREFIX}(?:(?i:the)\s+)?(?P<day>{DNUM})(?:\s+(?i:of))?\s+(?P<mon>{MONTH})\s*(?:-|–|to|until)\s*"
              rf"(?:the\s+)?(?P<day2>{DNUM})(?:\s+(?i:of))?\s+(?P<mon2>{MONTH}){_YEAR_OPT})", _cross_month,
              cues=(_MONTH_CUES,)),
        _rule(rf"(?P<t>(?P<mon>{MONTH})\s+(?P<day>{DNUM})\s*(?:-|–|to|until)\s*(?P<mon2>{MONTH})\s+(?P<day2>{DNUM})"
              rf"{_YEAR_OPT})", _cross_month, cues=(_MONTH_CUES,)),
        _rule(rf"(?P<t>{WD_PREFIX}(?P<mon>{MONTH})\s+(?:the\s+)?{_DAY1}{_DAY2}(?![\d:]){_YEAR_OPT})", _day_month,
              cues=(_MONTH_CUES,)),
        _rule(rf"(?P<t>{WD_PREFIX}(?:the\s+)?{_DAY1}{_DAY2}(?:\s+of)?\s+(?P<mon>{MONTH}){_YEAR_OPT})", _day_month,
              cues=(_MONTH_CUES,)),
        _rule(
            rf"(?P<t>(?:(?P<part>(?i:{PART}))[\s-]+)?(?:(?P<rel>last|next)\s+)?(?P<mon>{MONTH})\s+(?:of\s+)?(?P<year>{YEAR}))\b",
            _month_year,
            cues=(_MONTH_CUES, _YEAR_CUES),
        ),
        _rule(
            rf"(?:\b{_PREP}\s+)(?P<t>(?:(?P<part>(?i:{PART}))[\s-]+)?(?P<mon>{MONTH}))(?!\s*\d)(?P<year>)(?P<rel>)",
            _month_year,
            gate="ambiguous",  # "a speech by May"
            cues=(_MONTH_CUES,),
        ),
        _rule(
            rf"(?P<t>(?:(?P<part>(?i:{PART}))[\s-]+|(?P<rel>(?i:last|next))\s+)(?P<mon>{MONTH}))(?!\s*\d)(?P<year>)",
            _month_year,
            gate="ambiguous",
            cues=(_MONTH_CUES, (*_PART_CUES, "last", "next")),
        ),
        _rule(r"(?<![\d-])(?P<t>(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\d-])", _iso, cues=(_YEAR_CUES, ("-",))),
        # years and seasons
        _rule(rf"(?:\b{_YEAR_PREP}\s+)(?P<t>(?:(?P<part>(?i:{PART}))[\s-]+)?(?P<year>{YEAR}))(?![\d%'’-]|s\b)"
              rf"(?!\s*(?:people|persons|civilians|fighters|troops|soldiers|dead|killed|wounded|km|kilometres|"
              rf"miles|tonnes|tons|dollars|euros|pounds|%|per\s*cent|percent))", _year,
              cues=(_YEAR_CUES,)),
        _rule(rf"(?P<t>\b(?P<part>(?i:{PART}))[\s-]+(?P<year>{YEAR}))(?![\d%-])", _year,
              cues=(_PART_CUES, _YEAR_CUES)),
        # a year that modifies a noun: "the 2014 school massacre", "its 2008 offensive" (not a count:
        # "the 2000 troops")
        _rule(rf"\b(?i:the|its|their|his|her)\s+(?P<t>(?P<year>{YEAR}))(?P<part>)(?=\s+[A-Za-z])"
              rf"(?!\s+(?:{_COUNTED})\b)", _year, cues=(_YEAR_CUES,)),
        _rule(rf"(?i)\b(?P<t>(?:the\s+)?(?:(?P<rel>last|next|this|past)\s+)?(?P<season>{SEASON})"
              rf"(?:\s+(?:of\s+)?(?P<year>{YEAR}))?)\b", _season_year, gate="season",
              cues=(("spring", "summer", "autumn", "fall", "winter"),)),
        # weekdays
        _rule(
            rf"(?:\b(?i:on|since|by|until|from|early\s+on|late\s+on|early|late)\s+)?(?P<t>(?:(?P<rel>(?i:last|next|this coming|this|coming|past))\s+)?"
            rf"(?<!Good )(?<!Black )(?<!Bloody )(?<!Holy )(?<!Easter )(?<!Palm )(?<!Ash )(?<!Super )(?<!Cyber )"
            rf"(?P<wd>{WEEKDAY})(?:\s+(?i:morning|afternoon|evening|night|overnight))?)\b",
            _weekday,
            gate="bare",  # "Good Friday", "the Sunday Times"
            weekday=True,
            cues=(_WEEKDAY_CUES,),
        ),
        # relative to the publication date
        *_lexicon_rules(),
        _rule(
            rf"(?i)\b(?P<t>(?:(?P<n>{NUM})|an? few|several|few|a couple of)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago)\b",
            _relative(lambda m, pub: _ago(m, pub) if not m["t"].lower().startswith("a couple")
                      else (pub - 3 * DAY, pub - 2 * DAY, 2)),
            cues=(("ago",), ("day", "week", "month", "year")),
        ),
        _rule(  # "last week" alone is the calendar week before: see below
            rf"(?i)\b(?!last\s+(?:week|month|year)\b)(?P<t>(?:the\s+)?(?:last|past)\s+"
            rf"(?:(?P<n>{NUM}|few|several)\s+)?(?P<unit>hours|days|weeks?|months?|years))\b",
            _past,
            cues=(("last", "past"), ("hour", "day", "week", "month", "year")),
        ),
        _rule(r"(?i)\b(?P<t>(?:(?:early|late)\s+)?(?:last|previous|this|(?:earlier|later) this|next) week)\b",
              _relative(_week), cues=(("week",),)),
        _rule(rf"(?i)\b(?P<t>(?:(?P<part>{PART}|earlier|later)[\s-]+)?(?:last|previous|this|next) month)\b",
              _relative(_month_rel), cues=(("month",),)),
        _rule(rf"(?i)\b(?P<t>(?:(?P<part>{PART}|earlier|later)[\s-]+)?(?:last|previous|this|next) year)\b",
              _relative(_year_rel), cues=(("year",),)),
        _rule(r"(?i)\b(?P<t>since the (?:start|beginning) of the year)\b(?P<part>)",
              _relative(_year_rel), cues=(("since the",),)),
        _rule(r"(?i)\b(?P<t>(?:the|this|last) weekend)\b", _relative(_weekend), cues=(("weekend",),)),
        # relative to the date told just before
        _rule(rf"(?i)\b(?P<t>(?:the|that)\s+(?:next|following|previous|preceding)\s+(?:day|night|morning|evening)"
              rf"|the\s+day\s+(?:before|after)|the\s+night\s+before|the\s+eve"
              rf"|(?:(?P<n>{NUM})|a)\s+(?:days?|weeks?)\s+(?:later|earlier|after|before|prior)"
              rf"|(?:hours|minutes|an\s+hour)\s+(?:later|earlier|after|before))\b",
              _shift, anchored=True),
        _rule(r"(?i)\b(?:on|by|until|since|from)\s+(?P<t>the\s+(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)))\b"
              r"(?=\s*(?:[,.;:)!?]|$|(?:and|or|at|in|when|after|before|but|as|while|to|with)\b))(?P<from_pub>)",
              _day_of_anchor_month, anchored=True),
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


def _looks_ahead(doc, text: str, start: int) -> bool:
    """Does the clause of the expression at ``start`` speak of the future ("will meet on Monday",
    "a vote scheduled for Tuesday")?"""
    before = text[max(0, start - 40) : start].lower()
    if any(re.search(rf"\b{re.escape(w)}\s+(?:on\s+|the\s+)?$", before) for w in _lex()["future_before"]):
        return True
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    auxes = set(_lex()["future_auxiliaries"])
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX"):
            return any(c.dep_ == "aux" and c.lower_ in auxes for c in node.children)
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _year_from_text(kept: list, at: int) -> int | None:
    """The year of the last full date told before an offset (for dates without a year when the
    article has no publication date)."""
    years = [iv[0].year for s, _, iv, _ in kept if s < at and iv[0] is not None and iv[2] is not None]
    return years[-1] if years else None


def _anchor(kept: list, at: int, sentence_start: int, pub: dt.date | None,
            same_sentence: bool = False) -> tuple[dt.date | None, bool]:
    """The date a relative expression at ``at`` counts from: the last dated expression before it in
    its sentence, else (unless ``same_sentence``) the last one before it in the text, else the
    publication date. Returns the date and whether it is the publication's."""
    before = [(s, iv) for s, _, iv, _ in kept if s < at and iv[0] is not None]
    same = [(s, iv) for s, iv in before if s >= sentence_start]
    for pool in (same,) if same_sentence else (same, before):
        if pool:
            _, iv = pool[-1]
            return (iv[1] if iv[2] == 1 else iv[0]), False
    return pub, True


# Characters that a case-insensitive expression takes for an ASCII letter but that str.lower() does
# not turn into it: dotted and dotless i, long s.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _folded(text: str) -> str:
    """The text in lower case, for the cues: every character a case-insensitive expression takes
    for an ASCII letter becomes that letter."""
    return (text if text.isascii() else text.translate(_FOLD)).lower()


def _start(rule: _Rule, text: str, lower: str, firsts: dict[re.Pattern[str], int]) -> int:
    """Where the rule's first match can start at the earliest, or -1 when the text holds none
    (its cues are missing). ``firsts`` keeps the first match of each ``first`` expression."""
    for cue in rule.cues:
        within = text if cue.cased else lower
        if not any(word in within for word in cue.words):
            return -1
    if rule.first is None:
        return 0
    if rule.first not in firsts:
        m = rule.first.search(text)
        firsts[rule.first] = -1 if m is None else m.start()
    return firsts[rule.first]


def extract(doc, document: Document) -> list[TimeSpan]:
    """The publication date, then every date expression of the text in order."""
    pub = document.published
    text = text_of(doc)
    entities = [(e.start_char, e.end_char) for e in ents_of(doc) if e.label_ in ("DATE", "TIME")]

    lower = _folded(text)
    firsts: dict[re.Pattern[str], int] = {}
    hits: list[tuple[int, int, Interval | None, re.Match[str] | None, _Rule | None]] = []
    for rule in rules():
        pos = _start(rule, text, lower, firsts)
        if pos < 0:
            continue
        for m in rule.pattern.finditer(text, pos):  # from pos: lookbehinds and \b still see before it
            s, e = m.span("t")
            cued = m.span() != (s, e) or bool(m.groupdict().get("rel"))
            if rule.gate == "always" or (rule.gate == "bare" and not cued):
                gated = True
            elif rule.gate == "ambiguous":
                gated = bool(_AMBIGUOUS_MONTH.match(m["mon"].rstrip(".")))
            elif rule.gate == "season":
                gated = not (m["year"] or m["rel"])
            else:
                gated = False
            if gated and not any(s < ee and ss < e for ss, ee in entities):
                continue
            if rule.anchored:
                hits.append((s, e, None, m, rule))
                continue
            interval = rule.resolve(m, pub)
            if interval is not None:
                hits.append((s, e, interval, m, rule))
    for s, e in entities:
        if not any(s < he and hs < e for hs, he, *_ in hits):
            interval = _fallback(text[s:e], pub)
            if interval is not None:
                hits.append((s, e, interval, None, None))

    kept: list = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):  # longest first
        if not any(hit[0] < e and s < hit[1] for s, e, *_ in kept):
            kept.append(hit)
    kept.sort(key=lambda h: h[0])

    sentence_starts = sorted(s.start_char for s in doc.sents) if doc.has_annotation("SENT_START") else [0]
    resolved: list = []
    for s, e, interval, m, rule in kept:
        if rule is not None and rule.anchored:
            sent = max((x for x in sentence_starts if x <= s), default=0)
            surface = text[s:e].lower()
            # "two days after the attack" counts from a date of its own sentence only
            relational = re.search(r"\b(?:after|before|prior)$", surface) is not None
            anchor, from_pub = _anchor(resolved, s, sent, pub, same_sentence=relational)
            if rule.resolve is _day_of_anchor_month:
                interval = UNANCHORED if anchor is None else _day_of_anchor_month(
                    _Marked(m, from_pub), anchor)  # type: ignore[arg-type]
            elif anchor is None or from_pub:  # "the next day" with no day told before: unknown
                interval = UNANCHORED
            else:
                interval = rule.resolve(m, anchor)
            if interval is None:
                continue
        elif interval == UNANCHORED and m is not None and m.groupdict().get("mon") and not m.groupdict().get("year") \
                and rule is not None and rule.resolve in (_day_month, _month_year) \
                and not (m.groupdict().get("rel")):
            year = _year_from_text(resolved, s)  # no publication date: the year the text last gave
            if year is not None:
                interval = rule.resolve(m, dt.date(year, 12, 31))
        elif rule is not None and rule.weekday and pub is not None and not (m["rel"] or "") \
                and _looks_ahead(doc, text, s):  # type: ignore[index]
            day = _next_weekday(pub, _WEEKDAYS[m["wd"].lower()])  # type: ignore[index]
            interval = (day, day, 1)
        resolved.append((s, e, interval, rule))

    out = [TimeSpan("", None, pub, pub, 1)] if pub else []
    out += [TimeSpan(text[s:e], Span(s, e), *interval) for s, e, interval, _ in resolved]
    return out


class _Marked:
    """A match that also says whether its anchor is the publication date (for "on the 15th")."""

    def __init__(self, m: re.Match[str], from_pub: bool) -> None:
        self._m, self._from_pub = m, from_pub

    def __getitem__(self, key: str):
        return self._from_pub if key == "from_pub" else self._m[key]
