"""What each claim asserts, read when its article is parsed (``claims.reading``, JSON; see
``resolve/hypotheses.py`` ``read_claims``), so that regrouping claims into hypotheses does not parse
every stored article again. Claims stored before have none (NULL) and are parsed as before.

Revision ID: 0005_claim_readings
Revises: 0004_document_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_claim_readings"
down_revision = "0004_document_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("reading", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("reading")
