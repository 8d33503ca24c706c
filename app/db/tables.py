"""Imports every table module so SQLModel.metadata knows them all (for Alembic autogenerate)."""

from __future__ import annotations

import app.db.audit  # noqa: F401
import app.db.batch  # noqa: F401
import app.db.models  # noqa: F401
import app.db.monitoring  # noqa: F401
import app.db.webhooks  # noqa: F401
