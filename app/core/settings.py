"""Service settings, read from the environment (prefix EXPOSURE_) or a .env file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _shipped(folder: str) -> Path:
    """The shipped folder in the source tree (editable install), else the one in the working directory."""
    in_tree = PROJECT_ROOT / folder
    return in_tree if in_tree.is_dir() else Path.cwd() / folder


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXPOSURE_", env_file=".env", extra="ignore")

    # Where snapshots, screenings and jobs are kept. SQLite by default; PostgreSQL when it grows.
    database_url: str = "sqlite:///./exposure.db"
    # Curated list files (YAML) and the sources catalogue shipped with the service.
    lists_dir: Path = Field(default_factory=lambda: _shipped("lists"))
    # The catalogue of remote sources; defaults to lists_dir/sources.yaml.
    sources_file: Path | None = None
    # Rule packs applied to every screening.
    rules_dir: Path = Field(default_factory=lambda: _shipped("rules"))
    # Download remote sources at start-up when the database holds no snapshot of them yet.
    refresh_on_start: bool = True
    # Seconds between automatic refreshes of enabled remote sources; 0 turns it off.
    refresh_interval_seconds: int = Field(default=0, ge=0)
    # Seconds between checks for list versions stored by other processes (CLI imports, workers).
    sync_interval_seconds: int = Field(default=30, ge=0)
    # Timeout for one source download.
    download_timeout_seconds: float = Field(default=60.0, gt=0)
    # A refresh that loses more than this share of a list's entries is rejected (per-source override).
    max_shrink: float = Field(default=0.2, ge=0, le=1)
    # Default match threshold when neither the request nor the list sets one.
    match_threshold: float = Field(default=0.80, ge=0, le=1)
    # A match at or above this score on a list whose action is "block" blocks; below it, review.
    block_threshold: float = Field(default=0.95, ge=0, le=1)
    # Default and maximum number of matches returned per party.
    match_limit: int = Field(default=10, ge=1, le=500)
    max_match_limit: int = Field(default=100, ge=1, le=1000)
    # Largest list file accepted by upload, in bytes.
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    # Longest name accepted in a screening request, in characters.
    max_name_length: int = Field(default=500, gt=0)
    # Hours after which a list counts as stale when its source sets no limit.
    default_freshness_hours: float = Field(default=24.0, gt=0)

    # Where uploaded batch files and their results are kept.
    data_dir: Path = Path("./exposure-data")
    # Background worker processes that run batch jobs (0: run none in this process). Screening
    # is CPU-bound: one per core by default, at most 4 (each holds its own index, ~500 MB).
    batch_workers: int = Field(default_factory=lambda: min(os.cpu_count() or 1, 4), ge=0, le=16)
    # Limits on one batch upload.
    batch_max_bytes: int = Field(default=300 * 1024 * 1024, gt=0)
    batch_max_rows: int = Field(default=2_000_000, gt=0)
    batch_max_field_length: int = Field(default=1000, gt=0)
    batch_max_concurrent_jobs: int = Field(default=4, ge=1)
    # Rows a worker screens and commits at a time (a killed worker redoes at most one chunk).
    batch_chunk_rows: int = Field(default=1000, ge=1)

    # API keys: "on", "off", or "auto" = off only in local embedded mode (SQLite database and the
    # server bound to a loopback address), on everywhere else.
    auth: Literal["auto", "on", "off"] = "auto"
    # The address `exposure serve` binds to (set by the serve command; used by auth "auto").
    bind_host: str = "127.0.0.1"
    # Requests a minute allowed per API key (bursts up to the same number).
    rate_limit_per_minute: int = Field(default=1200, ge=1)
    # Audit records are kept this many days (OFAC record keeping, 31 CFR 501.601: 10 years).
    audit_retention_days: int = Field(default=3653, ge=1)

    # Days an approved false positive keeps suppressing its party/list-entry pair (0: no expiry).
    suppression_days: int = Field(default=365, ge=0)
    # Minimum score for monitoring alerts; None: the screening threshold.
    monitor_threshold: float | None = Field(default=None, ge=0, le=1)
    # Webhook deliveries: attempts, capped exponential backoff, timeout, and how often to look for due ones.
    webhook_max_attempts: int = Field(default=6, ge=1)
    webhook_retry_base_seconds: float = Field(default=10.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=3600.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _default_sources_file(self) -> Settings:
        if self.sources_file is None:
            self.sources_file = self.lists_dir / "sources.yaml"
        if self.block_threshold < self.match_threshold:
            raise ValueError("block_threshold must not be below match_threshold")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def auth_enabled(self) -> bool:
        if self.auth != "auto":
            return self.auth == "on"
        loopback = self.bind_host in ("127.0.0.1", "localhost", "::1") or self.bind_host.startswith("127.")
        return not (self.is_sqlite and loopback)
