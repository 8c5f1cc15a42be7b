"""General information of an assessment: the unscored fields of 'Thông tin chung' (population, contact person …).

Revision ID: 0005
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("general_info_answer",
                    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessment.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("field_code", sa.String(100), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False),
                    sa.Column("updated_by", sa.String(200), nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False))


def downgrade() -> None:
    op.drop_table("general_info_answer")
