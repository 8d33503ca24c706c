"""Ongoing monitoring: delta screening of monitored parties, alerts, four-eyes review, suppression."""
