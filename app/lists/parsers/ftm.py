"""OpenSanctions FollowTheMoney entities, one JSON object per line.

Only "things" (Person, Company, Vessel...) become entries; Sanction, Address, Identification
and relationship records (Ownership, Directorship, Family...) are joined into them. Two passes
over the file: the first keeps the small linked records and each thing's caption (one string,
so linked names can be shown whatever order the file has), the second converts the things one
at a time, so full thing records are never all in memory.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import ListFormatError
from app.lists.models import ListEntry
from app.lists.parsers.common import IdRegistry, no_entries
from app.lists.parsers.ftm_entity import KINDS, Links, Props, to_entry

Record = dict[str, object]

_DOCUMENT_SCHEMATA = {"Identification", "Passport"}
# Relationship schemata -> the two properties naming the related entities.
_RELATIONS = {
    "Ownership": ("owner", "asset"),
    "Directorship": ("director", "organization"),
    "Family": ("person", "relative"),
    "Associate": ("person", "associate"),
    "Membership": ("member", "organization"),
    "Employment": ("employee", "employer"),
    "Representation": ("agent", "client"),
    "UnknownLink": ("subject", "object"),
    "Succession": ("predecessor", "successor"),
}


def _validated(path: Path, line: int, data: object) -> Record:
    """The record, or a ListFormatError saying why this is not a FollowTheMoney entity."""
    where = {"source": path.name, "position": f"line {line}"}
    if not isinstance(data, dict):
        raise ListFormatError("not a JSON object", **where)
    for key in ("id", "schema"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ListFormatError(f"not a FollowTheMoney entity: no {key!r}", **where)
    props = data.get("properties")
    if not isinstance(props, dict) or not all(
        isinstance(values, list) and all(isinstance(v, str) for v in values)
        for values in props.values()
    ):
        raise ListFormatError("'properties' must map names to lists of strings", **where)
    return data


def read_records(path: Path) -> Iterator[Record]:
    """Every record of the file, validated; decoding and JSON errors name their line."""
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8").strip()
                if text:
                    yield _validated(path, line, json.loads(text))
            except UnicodeDecodeError as exc:
                raise ListFormatError(
                    "not UTF-8", source=path.name, position=f"line {line}"
                ) from exc
            except json.JSONDecodeError as exc:
                raise ListFormatError(
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    source=path.name,
                    position=f"line {line}",
                ) from exc


class _LinkedRecords:
    """What the first pass keeps: linked records by the thing they belong to."""

    def __init__(self) -> None:
        self.links: defaultdict[str, Links] = defaultdict(Links)
        self.addresses: dict[str, Props] = {}
        self.captions: dict[str, str] = {}

    def add(self, record: Record) -> None:
        schema, record_id = str(record["schema"]), str(record["id"])
        props: Props = record["properties"]  # type: ignore[assignment]
        if schema in KINDS:
            self.captions[record_id] = str(
                record.get("caption") or (props.get("name") or [record_id])[0]
            )
        elif schema == "Sanction":
            for entity_id in props.get("entity", []):
                self.links[entity_id].sanctions.append(props)
        elif schema in _DOCUMENT_SCHEMATA:
            for holder in props.get("holder", []):
                self.links[holder].documents.append((schema, props))
        elif schema == "Address":
            self.addresses[record_id] = props
        elif schema in _RELATIONS:
            first, second = (props.get(name, []) for name in _RELATIONS[schema])
            for one in first:
                for other in second:
                    self.links[one].linked_ids.append(other)
                    self.links[other].linked_ids.append(one)


def parse(path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the things of a FollowTheMoney JSON-lines file as entries."""
    linked = _LinkedRecords()
    for record in read_records(path):
        linked.add(record)
    ids = IdRegistry(path.name)
    for record in read_records(path):
        if record["schema"] not in KINDS:
            continue
        links = linked.links.get(str(record["id"]), Links())
        entry = to_entry(record, list_id, links, linked.addresses, linked.captions)
        if not entry.name:
            raise ListFormatError(
                "entity without a name", source=path.name, position=f"entity {record['id']}"
            )
        ids.claim(entry.id, f"entity {record['id']}")
        yield entry
    if not len(ids):
        raise no_entries(path.name)
