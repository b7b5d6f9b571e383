"""cohort facts: time to response, dependence, current regimen, wear-off, the
continuation plan's status and the first review date after the last assessment
(decisions G14, G15)

Revision ID: 0006
Revises: 0005

The new columns are empty for rows written before this revision; the cohort facts'
version is part of the rules version, so the report counts those patients as figured
under other rules until ``neuroig reassess`` rewrites them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("days_to_response", sa.Integer()),
    ("ig_dependent", sa.Boolean()),
    ("current_regimen", sa.String(length=20)),
    ("wear_off", sa.Boolean()),
    ("plan_status", sa.String(length=20)),
    ("plan_blocked_by", sa.Text()),
    ("review_due_from", sa.Date()),
)


def upgrade() -> None:
    with op.batch_alter_table("cohort_facts", schema=None) as batch_op:
        for name, kind in _COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohort_facts", schema=None) as batch_op:
        for name, _ in reversed(_COLUMNS):
            batch_op.drop_column(name)
