"""cohort facts: one row per patient for SQL cohort analytics (decision G14)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohort_facts",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules_version", sa.String(length=40), nullable=False),
        sa.Column("diagnosis", sa.String(length=10), nullable=False),
        sa.Column("mmn_category", sa.String(length=40), nullable=True),
        sa.Column("cidp_category", sa.String(length=40), nullable=True),
        sa.Column("ig_regimen", sa.String(length=20), nullable=True),
        sa.Column("response", sa.String(length=40), nullable=True),
        sa.Column("ig_grams", sa.Float(), nullable=False),
        sa.Column("ig_years", sa.Float(), nullable=False),
        sa.Column("ig_since", sa.Date(), nullable=True),
        sa.Column("last_assessment", sa.Date(), nullable=True),
        sa.Column("taper_suggested", sa.Boolean(), nullable=True),
        sa.Column("declining", sa.Boolean(), nullable=True),
        sa.Column("ig_cost", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_cohort_facts_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_cohort_facts_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_cohort_facts")),
    )
    with op.batch_alter_table("cohort_facts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohort_facts_site_id_diagnosis"), ["site_id", "diagnosis"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cohort_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_facts_site_id_diagnosis"))
    op.drop_table("cohort_facts")
