"""A small key/value table of the store's state: which generation of claims is stored and from
which the hypotheses were last grouped, so that hypotheses left stale (an ingest killed while
regrouping, or two ingests regrouping at once) are noticed and grouped again.

Revision ID: 0006_store_state
Revises: 0005_claim_readings
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_store_state"
down_revision = "0005_claim_readings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("store_state")
