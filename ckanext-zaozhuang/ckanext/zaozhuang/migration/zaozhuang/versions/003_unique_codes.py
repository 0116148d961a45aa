"""Catalog codes and provider codes unique in the database

Two requests that pass validation at the same moment must not both store one code: the
validators name the conflict for a single request, these indexes settle a race.

Revision ID: c31f0e7a9d12
Revises: 8a4e7c21d302
Create Date: 2026-12-02
"""
from alembic import op

revision = "c31f0e7a9d12"
down_revision = "8a4e7c21d302"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "CREATE UNIQUE INDEX zaozhuang_package_catalog_code ON package "
        "((extras->>'catalog_code')) "
        "WHERE state <> 'deleted' AND coalesce(extras->>'catalog_code', '') <> ''")
    op.execute(
        "CREATE UNIQUE INDEX zaozhuang_group_provider_code ON \"group\" "
        "((extras->>'provider_code')) "
        "WHERE state <> 'deleted' AND is_organization "
        "AND coalesce(extras->>'provider_code', '') <> ''")


def downgrade():
    op.execute("DROP INDEX zaozhuang_group_provider_code")
    op.execute("DROP INDEX zaozhuang_package_catalog_code")
