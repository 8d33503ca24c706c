"""Outgoing webhooks: signed event deliveries with bounded retries and a kept history."""
