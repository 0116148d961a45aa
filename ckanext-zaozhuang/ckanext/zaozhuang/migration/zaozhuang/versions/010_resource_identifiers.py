"""Resource identifiers (信息资源标识符): a sequence to number them, a unique index, and one
for every dataset that has none

The catalog code carries the department's provider code and is renumbered with it; the
identifier is assigned once and never changes, so harvesters and links can hold on to it.
The index covers deleted datasets too: an identifier is never given to another dataset.
Run `ckan search-index rebuild` afterwards so that the search finds the new identifiers.

Revision ID: a7d2c95e1f40
Revises: 9c4e7a21b5d3
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

from ckanext.zaozhuang.schema import identifiers

revision = "a7d2c95e1f40"
down_revision = "9c4e7a21b5d3"
branch_labels = None
depends_on = None


def upgrade():
    # A database rebuilt by dropping the tables it knows of keeps the sequence: numbers
    # handed out before stay handed out.
    op.execute(f"CREATE SEQUENCE IF NOT EXISTS {identifiers.SEQUENCE}")
    op.execute(
        "CREATE UNIQUE INDEX zaozhuang_package_identifier ON package "
        "((extras->>'identifier')) WHERE coalesce(extras->>'identifier', '') <> ''")
    connection = op.get_bind()
    # Oldest first, so the numbers follow the order the catalog grew in.
    unnumbered = connection.execute(sa.text(
        "SELECT id FROM package WHERE type = 'dataset' "
        "AND coalesce(extras->>'identifier', '') = '' ORDER BY metadata_created, id")).scalars()
    for package_id in list(unnumbered):
        connection.execute(sa.text(
            "UPDATE package SET extras = coalesce(extras, '{}'::jsonb) "
            "|| jsonb_build_object('identifier', cast(:value AS text)) WHERE id = :id"),
            {"value": identifiers.next_identifier(connection), "id": package_id})


def downgrade():
    op.execute("DROP INDEX zaozhuang_package_identifier")
    op.execute(f"DROP SEQUENCE {identifiers.SEQUENCE}")
