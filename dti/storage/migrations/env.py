"""Alembic environment, configured from code (no alembic.ini): ``dti.storage.db.upgrade`` passes the connection."""

from alembic import context

from dti.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
