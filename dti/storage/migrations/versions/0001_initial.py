"""Initial schema: province profile, agencies, users, assessments, assignments, responses, history.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table("province_profile",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(200), nullable=False),
                    sa.Column("code", sa.String(20), nullable=False))
    op.create_table("agency",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(300), nullable=False, unique=True),
                    sa.Column("kind", sa.String(40), nullable=False))
    op.create_table("app_user",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("username", sa.String(200), nullable=False, unique=True),
                    sa.Column("display_name", sa.String(300), nullable=False),
                    sa.Column("password_hash", sa.String(300), nullable=True),
                    sa.Column("role", sa.String(20), nullable=False),
                    sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=True))
    op.create_table("assessment",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("edition_id", sa.String(100), nullable=False),
                    sa.Column("year", sa.Integer, nullable=False),
                    sa.Column("quarter", sa.Integer, nullable=False),
                    sa.Column("due_date", sa.Date, nullable=True),
                    sa.Column("created_at", TZ, nullable=False),
                    sa.UniqueConstraint("edition_id", "year", "quarter"))
    op.create_table("assignment",
                    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessment.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("component_code", sa.String(20), primary_key=True),
                    sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), primary_key=True),
                    sa.Column("lead", sa.Boolean, nullable=False))
    op.create_table("response",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessment.id", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("component_code", sa.String(20), nullable=False),
                    sa.Column("value", sa.JSON, nullable=True),
                    sa.Column("points", sa.Float, nullable=True),
                    sa.Column("evidence", sa.Text, nullable=False),
                    sa.Column("links", sa.Text, nullable=False),
                    sa.Column("note", sa.Text, nullable=False),
                    sa.Column("status", sa.String(20), nullable=False),
                    sa.Column("appraisal_points", sa.Float, nullable=True),
                    sa.Column("appraisal_note", sa.Text, nullable=False),
                    sa.Column("updated_by", sa.String(200), nullable=False),
                    sa.Column("updated_at", TZ, nullable=False),
                    sa.Column("version", sa.Integer, nullable=False),
                    sa.UniqueConstraint("assessment_id", "component_code"))
    op.create_table("history",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessment.id", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("component_code", sa.String(20), nullable=False),
                    sa.Column("action", sa.String(40), nullable=False),
                    sa.Column("changes", sa.JSON, nullable=False),
                    sa.Column("actor", sa.String(200), nullable=False),
                    sa.Column("at", TZ, nullable=False),
                    sa.Column("version", sa.Integer, nullable=False))
    op.create_index("ix_history_assessment_component", "history", ["assessment_id", "component_code"])


def downgrade() -> None:
    for table in ("history", "response", "assignment", "assessment", "app_user", "agency", "province_profile"):
        op.drop_table(table)
