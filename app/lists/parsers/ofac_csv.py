"""OFAC legacy CSV: a folder with sdn.csv (+ add.csv, alt.csv, sdn_comments.csv) or the
consolidated non-SDN set cons_prim.csv (+ cons_add.csv, cons_alt.csv, cons_comments.csv).

The files have no header, print null as "-0-" and end with a Ctrl-Z line. The primary file is
streamed; addresses, aliases and remark overflow are small and are loaded into dicts keyed by
ent_num first. Rows of those side files for an unknown ent_num are ignored: OFAC publishes them
separately and they may be newer than the primary file.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ListFormatError
from app.lists.countries import to_country_code
from app.lists.models import Address, Alias, EntityKind, ListEntry, make_entry_id
from app.lists.parsers.common import IdRegistry, no_entries, unique
from app.lists.parsers.ofac_remarks import parse_remarks

_NULL = "-0-"
_EOF_MARK = "\x1a"
_KINDS = {
    "individual": EntityKind.PERSON,
    "": EntityKind.ORGANIZATION,  # OFAC prints entities with a null type
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
_ALIAS_KINDS = {"aka": "aka", "fka": "fka", "nka": "nka"}
# Primary columns 4..10 that only vessels use, kept as properties.
_VESSEL_COLUMNS = (
    "title",
    "call_sign",
    "vessel_type",
    "tonnage",
    "grt",
    "vessel_flag",
    "vessel_owner",
)


@dataclass(frozen=True, slots=True)
class _FileSet:
    """The files of one OFAC CSV set; side files are None when absent."""

    label: str  # "sdn" or "cons"
    primary: Path
    add: Path | None
    alt: Path | None
    comments: Path | None


def _find(folder: Path, name: str) -> Path | None:
    """OFAC spells file names in either case (SDN.CSV, sdn.csv)."""
    for child in folder.iterdir():
        if child.name.lower() == name:
            return child
    return None


def _file_set(path: Path) -> _FileSet:
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        raise ListFormatError("not a folder of OFAC CSV files", source=str(path.name))
    for label, primary, add, alt, comments in (
        ("sdn", "sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"),
        ("cons", "cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"),
    ):
        primary_path = _find(folder, primary)
        if primary_path is not None and (path.is_dir() or path == primary_path):
            return _FileSet(
                label, primary_path, _find(folder, add), _find(folder, alt), _find(folder, comments)
            )
    raise ListFormatError("no sdn.csv or cons_prim.csv in the folder", source=folder.name)


def _value(field: str, *, keep_spaces: bool = False) -> str | None:
    text = field.strip()
    if text in (_NULL, ""):
        return None
    return field if keep_spaces else text


def read_rows(
    path: Path, columns: int, *, raw_last: bool = False
) -> Iterator[tuple[int, list[str | None]]]:
    """(line number, fields with "-0-" as None) for every data row; skips the Ctrl-Z line.

    `raw_last` keeps the spaces of the last column: OFAC cuts long remarks at a fixed width,
    possibly right after a space, and the comments file carries on from there.
    """
    line = 0
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and row[0].strip() in (_EOF_MARK, "")):
                    continue
                if len(row) != columns:
                    raise ListFormatError(
                        f"expected {columns} columns, found {len(row)}",
                        source=path.name,
                        position=f"line {line}",
                    )
                values = [_value(field) for field in row[:-1]]
                yield line, [*values, _value(row[-1], keep_spaces=raw_last)]
    except UnicodeDecodeError as exc:
        # The decoder reads ahead in blocks, so the line is the last one read before the bad bytes.
        raise ListFormatError(
            f"not UTF-8 ({exc.reason})", source=path.name, position=f"after line {line}"
        ) from exc
    except csv.Error as exc:
        raise ListFormatError(
            f"malformed CSV: {exc}", source=path.name, position=f"line {line + 1}"
        ) from exc


def _ent_num(path: Path, line: int, value: str | None) -> str:
    if value is None or not value.isdigit():
        raise ListFormatError(f"bad ent_num {value!r}", source=path.name, position=f"line {line}")
    return value


def _load_addresses(path: Path | None) -> dict[str, list[Address]]:
    addresses: dict[str, list[Address]] = defaultdict(list)
    if path is None:
        return addresses
    for line, (ent_num, _add_num, street, city, country, _remarks) in read_rows(path, 6):
        text = ", ".join(part for part in (street, city, country) if part)
        if text:
            key = _ent_num(path, line, ent_num)
            addresses[key].append(Address(text=text, city=city, country=to_country_code(country)))
    return addresses


def _load_aliases(path: Path | None) -> dict[str, list[Alias]]:
    aliases: dict[str, list[Alias]] = defaultdict(list)
    if path is None:
        return aliases
    for line, (ent_num, _alt_num, alt_type, name, _remarks) in read_rows(path, 5):
        if name:
            kind = _ALIAS_KINDS.get((alt_type or "aka").lower().replace(".", ""), "aka")
            aliases[_ent_num(path, line, ent_num)].append(Alias(name=name, kind=kind))
    return aliases


def _load_comments(path: Path | None) -> dict[str, str]:
    comments: dict[str, str] = defaultdict(str)
    if path is None:
        return comments
    for line, (ent_num, text) in read_rows(path, 2, raw_last=True):
        comments[_ent_num(path, line, ent_num)] += text or ""
    return comments


def split_programs(text: str | None) -> tuple[str, ...]:
    """OFAC joins programs as "SDGT] [IFSR"."""
    if not text:
        return ()
    return unique(part.strip(" []") for part in text.split("] ["))


def _merge_aliases(name: str, strong: list[Alias], weak: list[Alias]) -> tuple[Alias, ...]:
    """alt.csv aliases first; a weak remark alias repeating a strong one is dropped."""
    seen = {name.casefold()}
    merged = []
    for alias in [*strong, *weak]:
        if alias.name.casefold() not in seen:
            seen.add(alias.name.casefold())
            merged.append(alias)
    return tuple(merged)


def _kind(files: _FileSet, line: int, value: str | None) -> EntityKind:
    kind = _KINDS.get((value or "").lower())
    if kind is None:
        raise ListFormatError(
            f"unknown SDN_Type {value!r}", source=files.primary.name, position=f"line {line}"
        )
    return kind


def parse(path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the entries of an OFAC legacy CSV set (folder, or its sdn.csv / cons_prim.csv)."""
    files = _file_set(path)
    addresses = _load_addresses(files.add)
    aliases = _load_aliases(files.alt)
    comments = _load_comments(files.comments)
    ids = IdRegistry(files.primary.name)
    for line, row in read_rows(files.primary, 12, raw_last=True):
        ent_num = _ent_num(files.primary, line, row[0])
        name = row[1]
        if not name:
            raise ListFormatError(
                "empty SDN_Name", source=files.primary.name, position=f"line {line}"
            )
        entry_id = make_entry_id(list_id, ent_num)
        ids.claim(entry_id, f"line {line}")
        # sdn_comments.csv continues a Remarks field OFAC cut off mid-word: join without a space.
        remarks = ((row[11] or "") + comments.get(ent_num, "")).strip() or None
        facts = parse_remarks(remarks)
        vessel = dict(zip(_VESSEL_COLUMNS, row[4:11], strict=True))
        flag = to_country_code(vessel["vessel_flag"])
        entry_addresses = tuple(addresses.get(ent_num, ()))
        properties = {key: value for key, value in vessel.items() if value}
        properties.update(facts.properties)
        properties["ofac_set"] = files.label
        yield ListEntry(
            id=entry_id,
            list_id=list_id,
            source_id=ent_num,
            kind=_kind(files, line, row[2]),
            name=name,
            aliases=_merge_aliases(name, aliases.get(ent_num, []), facts.aliases),
            birth_dates=unique(facts.birth_dates),
            places_of_birth=unique(facts.places_of_birth),
            countries=unique([*facts.nationalities, *(a.country for a in entry_addresses), flag]),
            nationalities=unique(facts.nationalities),
            addresses=entry_addresses,
            identifiers=tuple(dict.fromkeys(facts.identifiers)),
            programs=split_programs(row[3]),
            remarks=remarks,
            linked_to=unique(facts.linked_to),
            gender=facts.gender,
            properties=properties,
        )
    if not len(ids):
        raise no_entries(files.primary.name)
