"""What a caller may set for one batch, and the screening context built from it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.batch.runner import ScreeningContext
from app.core.errors import IndexNotReady, InvalidQuery, UnknownList

if TYPE_CHECKING:
    from app.runtime import Runtime


@dataclass(frozen=True, slots=True)
class BatchOptions:
    threshold: float | None = None  # None: the service default / each list's own threshold
    lists: tuple[str, ...] | None = None  # None: every loaded list
    encoding: str | None = None  # None: detected
    delimiter: str | None = None  # None: detected
    columns: dict[str, str] = field(default_factory=dict)  # file header -> our column (or "ignore")

    def to_dict(self) -> dict[str, object]:
        return {"threshold": self.threshold, "lists": list(self.lists) if self.lists is not None else None,
                "encoding": self.encoding, "delimiter": self.delimiter, "columns": dict(self.columns)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> BatchOptions:
        lists, threshold, columns = data.get("lists"), data.get("threshold"), data.get("columns") or {}
        assert isinstance(columns, dict)
        return cls(
            threshold=float(str(threshold)) if threshold is not None else None,
            lists=tuple(str(x) for x in lists) if isinstance(lists, list) else None,
            encoding=str(data["encoding"]) if data.get("encoding") else None,
            delimiter=str(data["delimiter"]) if data.get("delimiter") else None,
            columns={str(k): str(v) for k, v in columns.items()},
        )

    @classmethod
    def parse(cls, *, threshold: float | None, lists: str | None, encoding: str | None, delimiter: str | None,
              columns: str | None) -> BatchOptions:
        """Options as given in a form or on the command line, checked."""
        if threshold is not None and not 0 <= threshold <= 1:
            raise InvalidQuery(f"threshold must be between 0 and 1, got {threshold}")
        wanted = tuple(x.strip() for x in lists.split(",") if x.strip()) if lists else None
        return cls(threshold=threshold, lists=wanted or None, encoding=encoding or None,
                   delimiter=delimiter or None, columns=_parse_columns(columns))


def _parse_columns(columns: str | None) -> dict[str, str]:
    if not columns or not columns.strip():
        return {}
    try:
        mapping = json.loads(columns)
    except json.JSONDecodeError as exc:
        raise InvalidQuery(f'columns must be a JSON object such as {{"Customer No": "record_id"}}: {exc}') from exc
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise InvalidQuery('columns must map header names to column names, e.g. {"Full Name": "name"}')
    return mapping


def check_lists(options: BatchOptions, runtime: Runtime) -> None:
    """Refuse a batch up front when nothing is loaded or it names an unknown list."""
    state = runtime.catalog.state
    if not state.ready:
        raise IndexNotReady("no list is loaded yet; try again shortly or load a list")
    unknown = sorted(set(options.lists or ()) - set(state.lists))
    if unknown:
        raise UnknownList(f"unknown list id(s): {', '.join(unknown)}; loaded: {', '.join(sorted(state.lists))}")


def screening_context(runtime: Runtime, options: BatchOptions) -> ScreeningContext:
    """The lists and rules in force right now, with this batch's threshold and list filter."""
    state = runtime.catalog.state
    lists = frozenset(options.lists) if options.lists else None
    return ScreeningContext(
        index=state.index, config=runtime.match_config(threshold=options.threshold, lists=lists),
        policy=runtime.policy(), ruleset=runtime.rules.current, list_versions=state.versions(lists),
    )
