"""Log-ins that last: server-side log-in sessions, disabled accounts and the last log-in of each account.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:  # batch: SQLite cannot add constraints in place
        batch.add_column(sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("last_login_at", TZ, nullable=True))
    # Only hashes of the tokens are stored: a copy of the database does not log anyone in.
    op.create_table("login_session",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("created_at", TZ, nullable=False),
                    sa.Column("expires_at", TZ, nullable=False),
                    sa.Column("handoff_hash", sa.String(64), nullable=True, unique=True),
                    sa.Column("handoff_expires_at", TZ, nullable=True))
    op.create_index("ix_login_session_user", "login_session", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_login_session_user", "login_session")
    op.drop_table("login_session")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("last_login_at")
        batch.drop_column("disabled")
