"""SQLAlchemy Core tables. The contract record of each event and claim is kept whole as JSON
(``record``) beside the columns that queries filter on, so export never rebuilds it.

Events come in two tables: ``event_mentions`` (one row per article's report, as extracted)
and ``events`` (merged across articles by ``resolve/merge.py``; ``event_mentions.event_id``
links each report to its event)."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("url", Text),
    Column("title", Text),
    Column("source", Text),
    Column("author", Text),
    Column("published", Date),
    Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
)

event_mentions = Table(
    "event_mentions",  # one article's report of an incident (its contract record in ``record``)
    metadata,
    Column("mention_id", String(40), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(40)),  # the merged event; NULL until resolved (resolve/merge.py)
    Column("published", Date),
    Column("event_type", String(40), nullable=False),
    Column("sub_event_type", String(60), nullable=False),
    Column("event_date", Date),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("country", Text),
    Column("iso", String(2)),
    Column("admin1", Text),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("fatalities", Integer),
    Column("modality", String(20), nullable=False),
    Column("record", Text, nullable=False),
    Index("ix_event_mentions_doc", "doc_id"),
    Index("ix_event_mentions_event", "event_id"),
    Index("ix_event_mentions_dates", "date_start", "date_end"),
    Index("ix_event_mentions_published", "published"),
    Index("ix_event_mentions_iso", "iso"),
)

events = Table(
    "events",  # merged events: one incident, every article that reports it
    metadata,
    Column("event_id", String(40), primary_key=True),  # the mention_id of its first report
    Column("doc_id", String(200)),  # the article of that first report
    Column("event_type", String(40), nullable=False),
    Column("sub_event_type", String(60), nullable=False),
    Column("event_date", Date),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("country", Text),
    Column("iso", String(2)),
    Column("admin1", Text),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("fatalities", Integer),
    Column("modality", String(20), nullable=False),
    Column("n_mentions", Integer, nullable=False),
    Column("record", Text, nullable=False),
    Index("ix_events_date", "event_date"),
    Index("ix_events_type", "event_type", "sub_event_type"),
)

event_aliases = Table(
    "event_aliases",  # ids an event had before a report published earlier joined it
    metadata,
    Column("alias", String(40), primary_key=True),
    Column("event_id", String(40), nullable=False),
    Index("ix_event_aliases_event", "event_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("claim_id", String(40), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(40)),  # the merged event of its mention (kept up to date by the merge)
    Column("mention_id", String(40)),  # the article's event mention the claim was linked to
    Column("claimant", Text, nullable=False),
    Column("certainty", String(20), nullable=False),
    Column("polarity", String(20), nullable=False),
    Column("author_stance", String(20), nullable=False),
    Column("record", Text, nullable=False),
    # what the claim asserts, read at extraction (JSON; resolve/hypotheses.py read_claims); NULL: parse it
    Column("reading", Text),
    Index("ix_claims_doc", "doc_id"),
    Index("ix_claims_mention", "mention_id"),
)

# the store's state: "claims" is the generation of the stored claims (a new token whenever claims
# are added), "hypotheses" the generation the hypotheses were grouped from
store_state = Table(
    "store_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

hypotheses = Table(
    "hypotheses",
    metadata,
    Column("hypothesis_id", String(40), primary_key=True),
    Column("question", Text, nullable=False),
    Column("statement", Text, nullable=False),
    Column("record", Text, nullable=False),
)
