"""sitroom: ACLED-coded events and attributed claims from war reporting, offline."""

from sitroom.model import Analysis, ClaimMention, Document, EventMention

__version__ = "0.1.0"


def analyze(text: str, published=None, *, title=None, source=None, url=None) -> Analysis:
    """Extract events, claims, places, times and figures from one article, without a database.

    ``published`` is a ``datetime.date`` or ``YYYY-MM-DD`` string; relative dates resolve
    against it and stay None without it.
    """
    from sitroom.extract import analyze_text

    return analyze_text(text, published=published, title=title, source=source, url=url)


__all__ = ["Analysis", "ClaimMention", "Document", "EventMention", "analyze", "__version__"]
