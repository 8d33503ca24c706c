"""Curated YAML lists (lists/*.yaml): hand-maintained entries, each with its sources.

The file is small, so it is read whole, validated against `curated_schema` and only then turned
into entries: a file with one bad entry loads nothing. Every problem raises `ListFormatError`
naming the file, the entry (number, id and line) and what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from app.core.errors import ListFormatError
from app.lists.models import Address, Alias, Identifier, ListEntry, ListInfo, make_entry_id
from app.lists.parsers.common import IdRegistry
from app.lists.parsers.curated_schema import (
    AddressSpec,
    EntrySpec,
    FileSpec,
    LinkSpec,
    ListSpec,
    PropertyValue,
    SourceRef,
)
from app.lists.yaml_files import describe_errors, item_lines, item_position, read_yaml_mapping


def parse(path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the entries of a curated list file, refusing a file made for another list."""
    yield from load_entries(path, list_id=list_id)


def read_list_info(path: Path) -> ListInfo:
    """The `list:` block of a curated list file, as the ListInfo the catalog stores."""
    spec, _, _ = _read_file(path)
    return ListInfo(
        id=spec.id,
        name=spec.name,
        authority=spec.authority,
        category=spec.category,
        default_action=spec.default_action,
        legal_basis=spec.legal_basis,
        source_url=spec.source_url,
        default_threshold=spec.default_threshold,
    )


def load_entries(path: Path, *, list_id: str) -> list[ListEntry]:
    """Every entry of the file, validated in full before any is returned."""
    spec, raw_entries, lines = _read_file(path)
    if spec.id != list_id:
        raise ListFormatError(
            f"the file is list {spec.id!r}, not the requested list {list_id!r}",
            source=path.name,
            position="list.id",
        )
    ids = IdRegistry(path.name)
    entries: list[ListEntry] = []
    for number, raw in enumerate(raw_entries, start=1):
        position = item_position("entry", number, raw, lines.get(number))
        entry_spec = _validate_entry(raw, path, position)
        ids.claim(entry_spec.id, position)
        entries.append(_to_entry(entry_spec, list_id=list_id, source_list=spec))
    return entries


def _read_file(path: Path) -> tuple[ListSpec, list[dict[str, object]], dict[int, int]]:
    """The validated list block, the raw entries and the line (1-based) of each entry."""
    document, root = read_yaml_mapping(path, expected="`list:` and `entries:`")
    try:
        file_spec = FileSpec.model_validate(document)
    except ValidationError as exc:
        raise ListFormatError(describe_errors(exc), source=path.name) from exc
    return file_spec.info, file_spec.entries, item_lines(root, "entries")


def _validate_entry(raw: dict[str, object], path: Path, position: str) -> EntrySpec:
    try:
        return EntrySpec.model_validate(raw)
    except ValidationError as exc:
        raise ListFormatError(describe_errors(exc), source=path.name, position=position) from exc


def _to_entry(spec: EntrySpec, *, list_id: str, source_list: ListSpec) -> ListEntry:
    properties = {key: _property_text(value) for key, value in spec.properties.items()}
    properties["sources"] = " | ".join(_source_text(source) for source in spec.sources)
    if spec.linked_to:
        properties["linked_to"] = " | ".join(_link_text(link) for link in spec.linked_to)
    properties["list_updated"] = source_list.updated
    return ListEntry(
        id=make_entry_id(list_id, spec.id),
        list_id=list_id,
        source_id=spec.id,
        kind=spec.kind,
        name=spec.name,
        aliases=_aliases(spec),
        countries=tuple(dict.fromkeys(spec.countries)),
        addresses=tuple(_address(a) for a in spec.addresses),
        identifiers=tuple(
            Identifier(type=i.type, value=i.value, country=i.country, note=i.note)
            for i in spec.identifiers
        ),
        programs=tuple(spec.programs),
        legal_basis=spec.legal_basis,
        action=spec.action,
        listed_date=spec.listed_date,
        remarks=spec.remarks,
        source_url=next((s.url for s in spec.sources if s.url), None),
        linked_to=tuple(dict.fromkeys(link.name for link in spec.linked_to)),
        properties=properties,
    )


def _aliases(spec: EntrySpec) -> tuple[Alias, ...]:
    """Aliases in file order; repeats and the primary name itself are dropped (case-insensitive)."""
    seen = {spec.name.casefold()}
    aliases: list[Alias] = []
    for alias in spec.aliases:
        if alias.name.casefold() in seen:
            continue
        seen.add(alias.name.casefold())
        aliases.append(Alias(name=alias.name, strength=alias.strength, kind=alias.kind))
    return tuple(aliases)


def _address(item: AddressSpec) -> Address:
    return Address(text=item.text, city=item.city, country=item.country)


def _property_text(value: PropertyValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _source_text(source: SourceRef) -> str:
    """One source on one line: `title, date, url [H]`, compact enough for a properties value."""
    parts = [source.title, source.date, source.url]
    text = ", ".join(p for p in parts if p)
    note = f" ({source.note})" if source.note else ""
    return f"{text} [{source.confidence}]{note}"


def _link_text(link: LinkSpec) -> str:
    details = [link.relation]
    if link.listed_on:
        details.append(
            link.listed_on + (f" [{'] ['.join(link.programs)}]" if link.programs else "")
        )
    if link.note:
        details.append(link.note)
    return f"{link.name} ({'; '.join(details)})"
