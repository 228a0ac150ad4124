"""Initial schema: documents, events, claims, hypotheses.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("origin", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(40), primary_key=True),
        sa.Column("doc_id", sa.String(200), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
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
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_events_doc", "events", ["doc_id"])
    op.create_index("ix_events_date", "events", ["event_date"])
    op.create_index("ix_events_type", "events", ["event_type", "sub_event_type"])
    op.create_table(
        "claims",
        sa.Column("claim_id", sa.String(40), primary_key=True),
        sa.Column("doc_id", sa.String(200), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.String(40)),
        sa.Column("claimant", sa.Text, nullable=False),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("polarity", sa.String(20), nullable=False),
        sa.Column("author_stance", sa.String(20), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_claims_doc", "claims", ["doc_id"])
    op.create_table(
        "hypotheses",
        sa.Column("hypothesis_id", sa.String(40), primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("hypotheses", "claims", "events", "documents"):
        op.drop_table(table)
