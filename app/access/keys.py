"""API keys and roles. Only a key's SHA-256 is stored; the key itself is shown once, at creation."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

KEY_PREFIX = "exp_"


class Role(StrEnum):
    SCREENER = "screener"  # screen parties and payments, run batches, read own results
    REVIEWER = "reviewer"  # also read every screening and decide alerts
    ADMIN = "admin"  # also manage lists, rules and keys, export the audit trail


# What each role may do; checked per endpoint group.
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.SCREENER: frozenset({"screen", "batch"}),
    Role.REVIEWER: frozenset({"screen", "batch", "read_screenings", "review"}),
    Role.ADMIN: frozenset({"screen", "batch", "read_screenings", "review", "admin", "audit_export"}),
}


def new_key() -> str:
    """A random key: 'exp_' + 43 URL-safe characters (256 bits)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def allows(role: str, permission: str) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
