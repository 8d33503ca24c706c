"""Reading the hand-written YAML files in lists/ strictly, with errors that point at the line.

Shared by the curated list parser and the sources catalogue. PyYAML's safe loader is used, with
two changes: a key given twice in a mapping is an error (PyYAML would keep the last one silently,
dropping the data under the first), and dates stay text, so a partial date ("2024-02") and a
full one ("2024-02-04") reach the schema alike and an impossible one ("2024-13-01") gets a
message naming the entry instead of a bare ValueError from deep inside PyYAML.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.core.errors import ListFormatError


class UniqueKeyLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints
    """SafeLoader that refuses a key given twice in one mapping."""

    def construct_mapping(
        self, node: yaml.MappingNode, deep: bool = False
    ) -> dict[Hashable, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Hashable, object] = super().construct_mapping(node, deep=deep)
        return mapping


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml_mapping(path: Path, *, expected: str) -> tuple[dict[str, object], yaml.Node]:
    """The top-level mapping of a YAML file and its node tree (for line numbers).

    `expected` describes the top level for the error message, e.g. "`list:` and `entries:`".
    """
    source = path.name  # the name only: an upload's temporary path means nothing to the caller
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ListFormatError(f"cannot read the file: {exc}", source=source) from exc
    loader = UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        document = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise ListFormatError(
            f"invalid YAML: {_yaml_problem(exc)}", source=source, position=_yaml_mark(exc)
        ) from exc
    except (ValueError, TypeError) as exc:  # a constructor failing on a value PyYAML accepted
        raise ListFormatError(f"invalid YAML value: {exc}", source=source) from exc
    finally:
        loader.dispose()
    if not isinstance(document, dict):
        raise ListFormatError(f"expected a mapping with {expected} at the top level", source=source)
    return document, node


def item_lines(root: yaml.Node, key: str) -> dict[int, int]:
    """Item number (1-based) of the sequence under top-level `key` -> the line it starts on."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key_node, value_node in root.value:
        if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
            return {n: item.start_mark.line + 1 for n, item in enumerate(value_node.value, start=1)}
    return {}


def item_position(label: str, number: int, raw: object, line: int | None) -> str:
    """`entry 3 (id 'al-huda-bank'), line 42`: how errors name an item of a YAML sequence."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    text = f"{label} {number}" + (f" (id {item_id!r})" if item_id is not None else "")
    return f"{text}, line {line}" if line else text


def describe_errors(exc: ValidationError) -> str:
    """Pydantic errors as one readable clause per problem: `aliases.2: unknown field 'knd'`."""
    problems = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"])
        if error["type"] == "extra_forbidden":
            message = f"unknown field {str(error['loc'][-1])!r}"
            loc = ".".join(str(part) for part in error["loc"][:-1])
        elif error["type"] == "missing":
            message = "required field is missing"
        else:
            message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{loc}: {message}" if loc else message)
    return "; ".join(dict.fromkeys(problems))


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    return " ".join(str(p) for p in (context, problem) if p) or str(exc)


def _yaml_mark(exc: yaml.YAMLError) -> str | None:
    mark = getattr(exc, "problem_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
