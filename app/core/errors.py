"""Domain errors. They carry no HTTP status: `app/api/errors.py` maps them at the boundary."""

from __future__ import annotations


class ScreeningError(Exception):
    """Base class for every error the service reports to its callers."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidQuery(ScreeningError):
    """The screening request cannot be screened as given (empty name, bad date, bad threshold)."""


class UnknownList(ScreeningError):
    """A request names a list that is not loaded."""


class UnknownEntity(ScreeningError):
    """No list entry has that id."""


class UnknownFormat(ScreeningError):
    """A list file format the service does not know."""


class ListFormatError(ScreeningError):
    """A list file could not be parsed; names the file and, where known, the line or element."""

    def __init__(self, detail: str, *, source: str | None = None, position: str | None = None) -> None:
        where = ", ".join(p for p in (source, position) if p)
        super().__init__(f"{where}: {detail}" if where else detail)
        self.source = source
        self.position = position


class ListRejected(ScreeningError):
    """A parsed list failed its integrity checks (empty, shrank too much) and was not loaded."""


class IndexNotReady(ScreeningError):
    """No list is loaded yet, so nothing can be screened."""


class RuleSetInvalid(ScreeningError):
    """A rule file failed validation; `problems` lists every problem found, with file and rule."""

    def __init__(self, detail: str, problems: list[str] | None = None) -> None:
        super().__init__(detail)
        self.problems = problems or [detail]


class PaymentMessageError(ScreeningError):
    """A payment message (pacs.008, MT103, JSON) is malformed; names the field that failed."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {detail}" if field else detail)
        self.field = field


class PayloadTooLarge(ScreeningError):
    """An upload or a field exceeds a configured limit."""


class Conflict(ScreeningError):
    """The request conflicts with stored state (e.g. an idempotency key reused with another body)."""


class SourceUnavailable(ScreeningError):
    """A list source could not be downloaded or read; the loaded version keeps serving."""


class Unauthorized(ScreeningError):
    """No API key, or an unknown or revoked one."""


class Forbidden(ScreeningError):
    """The API key's role does not allow this action."""


class RateLimited(ScreeningError):
    """Too many requests for this API key; retry after `retry_after` seconds."""

    def __init__(self, detail: str, *, retry_after: float) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
