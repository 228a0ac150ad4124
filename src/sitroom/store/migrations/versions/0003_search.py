"""Search and filter support for the API: full-text index of events, indexes for the filters.

SQLite: an FTS5 table ``events_fts`` kept in step with ``events`` by triggers (see
``sitroom.store.queries.install_event_search``). PostgreSQL: a GIN index on the tsvector
of the event record's strings. Both: B-tree indexes for the filters and the default order
(measured with benchmarks/api_latency.py).

Revision ID: 0003_search
Revises: 0002
"""

from alembic import op

from sitroom.store.queries import install_event_search

revision = "0003_search"
down_revision = "0002"
branch_labels = None
depends_on = None

# (table, name, columns). Each event row carries its whole record, so reading rows is dear:
# ``ix_events_filter`` holds every column the API filters on, led by the date, so that a
# filtered count reads that index only and a page in date order walks it newest first and
# stops once the page is full; the narrow ones answer a country, admin1 or actor filter once
# ``queries.exact`` has turned it into stored spellings (and group and sort by country), and
# a band of latitudes for a bounding box.
INDEXES = [
    ("events", "ix_events_filter", ["date_start", "event_type", "sub_event_type", "iso", "country", "admin1",
                                    "modality", "fatalities", "latitude", "longitude", "date_end", "actor1",
                                    "actor2", "event_id"]),
    ("events", "ix_events_country", ["country", "event_id"]),
    ("events", "ix_events_admin1", ["admin1", "event_id"]),
    ("events", "ix_events_actor1", ["actor1", "event_id"]),
    ("events", "ix_events_actor2", ["actor2", "event_id"]),
    ("events", "ix_events_latlon", ["latitude", "longitude", "event_id"]),
    ("event_mentions", "ix_event_mentions_doc_event", ["doc_id", "event_id"]),
    ("claims", "ix_claims_event", ["event_id"]),
    ("documents", "ix_documents_source", ["source", "id"]),
]


def upgrade() -> None:
    conn = op.get_bind()
    for table, name, cols in INDEXES:
        op.create_index(name, table, cols)
    if conn.dialect.name == "sqlite":
        install_event_search(conn)
    elif conn.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_events_fts ON events USING gin "
            "(jsonb_to_tsvector('english'::regconfig, record::jsonb, '[\"string\"]'::jsonb))"
        )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for trigger in ("events_fts_insert", "events_fts_delete", "events_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS events_fts")
    elif conn.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_events_fts")
    for table, name, _ in INDEXES:
        op.drop_index(name, table_name=table)

