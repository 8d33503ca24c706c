"""Ongoing monitoring: customers, alerts, reviews, suppressions, webhooks and deliveries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "monitored_customer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=True),
        sa.Column("countries", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.String(10), nullable=True),
        sa.Column("identifiers", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, index=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "monitoring_alert",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(200), nullable=False, index=True),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(300), nullable=False, index=True),
        sa.Column("list_id", sa.String(100), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("disposition", sa.String(20), nullable=True),
        sa.Column("proposed_by", sa.String(100), nullable=True),
        sa.Column("snapshot_id", sa.Integer(), nullable=False, index=True),
        sa.Column("match", sa.Text(), nullable=False),
        sa.Column("triggered_rules", sa.Text(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "monitoring_alert_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("monitoring_alert.id"), nullable=False, index=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("disposition", sa.String(20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "monitoring_suppression",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(200), nullable=False, index=True),
        sa.Column("entity_id", sa.String(300), nullable=False, index=True),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("monitoring_alert.id"), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("monitoring_alert_review.id"), nullable=False),
        sa.Column("proposed_by", sa.String(100), nullable=False),
        sa.Column("approved_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=True),
    )
    op.create_table(
        "webhook",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events", sa.String(200), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("webhook_id", sa.Integer(), sa.ForeignKey("webhook.id"), nullable=False, index=True),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=True, index=True),
        sa.Column("attempts", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in ("webhook_delivery", "webhook", "monitoring_suppression", "monitoring_alert_review",
                  "monitoring_alert", "monitored_customer"):
        op.drop_table(table)
