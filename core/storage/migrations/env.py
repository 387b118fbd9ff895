"""Alembic environment: runs on the connection core.storage.database hands it (no alembic.ini needed)."""

from alembic import context

from core.storage.database import include_in_autogenerate
from core.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("CallAhead migrations run through core.storage.database.migrate(), which supplies the connection.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
    include_object=include_in_autogenerate,
)
with context.begin_transaction():
    context.run_migrations()
