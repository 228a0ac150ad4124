"""Merged events: today's per-article events become ``event_mentions``; ``events`` now holds
one row per incident across articles, ``event_aliases`` the ids an event had before.

Existing rows move over unchanged (``events.event_id`` → ``event_mentions.mention_id``, so
every claim keeps pointing at the same id) and are left unresolved (``event_id`` NULL):
``Store`` resolves them into merged events right after migrating (resolve/merge.py).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_INDEXES = {"ix_events_doc": ["doc_id"], "ix_events_date": ["event_date"],
               "ix_events_type": ["event_type", "sub_event_type"]}
MENTION_INDEXES = {
    "ix_event_mentions_doc": ["doc_id"],
    "ix_event_mentions_event": ["event_id"],
    "ix_event_mentions_dates": ["date_start", "date_end"],
    "ix_event_mentions_published": ["published"],
    "ix_event_mentions_iso": ["iso"],
}


def upgrade() -> None:
    for name in OLD_INDEXES:
        op.drop_index(name, table_name="events")
    op.rename_table("events", "event_mentions")
    with op.batch_alter_table("event_mentions") as batch:
        batch.alter_column("event_id", new_column_name="mention_id", existing_type=sa.String(40),
                           existing_nullable=False)
    op.add_column("event_mentions", sa.Column("event_id", sa.String(40)))
    op.add_column("event_mentions", sa.Column("published", sa.Date))
    mentions = sa.table("event_mentions", sa.column("doc_id"), sa.column("published"))
    documents = sa.table("documents", sa.column("id"), sa.column("published"))
    op.execute(mentions.update().values(
        published=sa.select(documents.c.published).where(documents.c.id == mentions.c.doc_id).scalar_subquery()))
    for name, cols in MENTION_INDEXES.items():
        op.create_index(name, "event_mentions", cols)

    op.create_table(
        "events",
        sa.Column("event_id", sa.String(40), primary_key=True),
        sa.Column("doc_id", sa.String(200)),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("sub_event_type", sa.String(60), nullable=False),
        sa.Column("event_date", sa.Date),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("iso", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("fatalities", sa.Integer),
        sa.Column("modality", sa.String(20), nullable=False),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_events_date", "events", ["event_date"])
    op.create_index("ix_events_type", "events", ["event_type", "sub_event_type"])
    op.create_table(
        "event_aliases",
        sa.Column("alias", sa.String(40), primary_key=True),
        sa.Column("event_id", sa.String(40), nullable=False),
    )
    op.create_index("ix_event_aliases_event", "event_aliases", ["event_id"])

    op.add_column("claims", sa.Column("mention_id", sa.String(40)))
    claims = sa.table("claims", sa.column("event_id"), sa.column("mention_id"))
    op.execute(claims.update().values(mention_id=claims.c.event_id))
    op.create_index("ix_claims_mention", "claims", ["mention_id"])


def downgrade() -> None:
    claims = sa.table("claims", sa.column("event_id"), sa.column("mention_id"))
    op.execute(claims.update().values(event_id=claims.c.mention_id))
    op.drop_index("ix_claims_mention", table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("mention_id")
    op.drop_index("ix_event_aliases_event", table_name="event_aliases")
    op.drop_table("event_aliases")
    op.drop_index("ix_events_type", table_name="events")
    op.drop_index("ix_events_date", table_name="events")
    op.drop_table("events")
    for name in MENTION_INDEXES:
        op.drop_index(name, table_name="event_mentions")
    with op.batch_alter_table("event_mentions") as batch:
        batch.drop_column("published")
        batch.drop_column("event_id")
    with op.batch_alter_table("event_mentions") as batch:
        batch.alter_column("mention_id", new_column_name="event_id", existing_type=sa.String(40),
                           existing_nullable=False)
    op.rename_table("event_mentions", "events")
    for name, cols in OLD_INDEXES.items():
        op.create_index(name, "events", cols)
