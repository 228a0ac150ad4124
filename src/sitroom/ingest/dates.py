"""Publication dates as written in the input: ISO 8601 dates and datetimes, RFC 2822."""

from __future__ import annotations

import datetime as dt
import email.utils


def parse_date(value: object) -> dt.date | None:
    """The calendar date of ``value`` as written (no time-zone shift), or None if it is not a date.

    Accepts ``2022-04-08``, ``2022-04-08T10:00:00Z`` (any ISO 8601 form Python reads) and
    RFC 2822 (``Fri, 08 Apr 2022 10:00:00 +0300``, the RSS form).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        return parsed.date() if isinstance(parsed, dt.datetime) else parsed
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
