"""Evidence files per component and named what-if scenarios per assessment period.

Revision ID: 0003
Revises: 0001 (the integrator chains it after 0002)

``evidence_file`` holds what is known of a file; its bytes live in the evidence store (a folder under the data
folder, or an S3-compatible bucket) under ``storage_key``, a generated name: a user's file name is never a path.
``scenario`` holds a scenario's overrides (component → points, main index → value) as JSON.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table("evidence_file",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessment.id", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("component_code", sa.String(20), nullable=False),
                    sa.Column("file_name", sa.String(300), nullable=False),
                    sa.Column("kind", sa.String(20), nullable=False),
                    sa.Column("size", sa.BigInteger, nullable=False),
                    sa.Column("sha256", sa.String(64), nullable=False),
                    sa.Column("storage_key", sa.String(200), nullable=False, unique=True),
                    sa.Column("uploaded_by", sa.String(200), nullable=False),
                    sa.Column("uploaded_at", TZ, nullable=False))
    op.create_index("ix_evidence_assessment_component", "evidence_file", ["assessment_id", "component_code"])
    op.create_table("scenario",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessment.id", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("name", sa.String(100), nullable=False),
                    sa.Column("component_points", sa.JSON, nullable=False),
                    sa.Column("main_values", sa.JSON, nullable=False),
                    sa.Column("created_by", sa.String(200), nullable=False),
                    sa.Column("updated_by", sa.String(200), nullable=False),
                    sa.Column("updated_at", TZ, nullable=False),
                    sa.UniqueConstraint("assessment_id", "name"))


def downgrade() -> None:
    op.drop_table("scenario")
    op.drop_index("ix_evidence_assessment_component", "evidence_file")
    op.drop_table("evidence_file")
