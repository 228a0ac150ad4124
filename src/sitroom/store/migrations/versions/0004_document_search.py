"""Full-text search over the stored articles (title and text): a tsvector GIN index on
PostgreSQL, an FTS5 table kept in step by triggers on SQLite (``sitroom.store.search``).

Revision ID: 0004_document_search
Revises: 0003_search
"""

from alembic import op

from sitroom.store.search import drop_document_search, install_document_search

revision = "0004_document_search"
down_revision = "0003_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    install_document_search(op.get_bind())


def downgrade() -> None:
    drop_document_search(op.get_bind())
