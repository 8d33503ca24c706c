"""List file formats. Each format is a module exposing `parse(path, *, list_id) -> Iterator[ListEntry]`.

Parsers stream: they never hold the raw file in memory, and raise `ListFormatError` naming the
file and the line or element that failed.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import UnknownFormat
from app.lists.models import ListEntry

# format name -> module under app.lists.parsers
FORMATS: dict[str, str] = {
    "ofac-csv": "ofac_csv",  # a folder with sdn.csv (+ add/alt/sdn_comments) or the cons_*.csv set
    "ofac-xml": "ofac_xml",  # OFAC Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML)
    "un-xml": "un_xml",  # UN Security Council consolidated list
    "us-csl": "us_csl",  # trade.gov Consolidated Screening List CSV
    "ftm": "ftm",  # OpenSanctions FollowTheMoney JSON lines
    "csv": "custom_csv",  # a bank's own list: id,name,kind,aliases,countries,dob,identifiers,notes
    "yaml": "curated_yaml",  # the curated lists shipped in lists/
}

# Formats that read a folder rather than one file (cannot be uploaded as a single file).
FOLDER_FORMATS = frozenset({"ofac-csv"})


def parse_list(fmt: str, path: Path, *, list_id: str) -> Iterator[ListEntry]:
    """Stream the entries of a list file in the given format."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown list format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    parse = module.parse
    return parse(path, list_id=list_id)  # type: ignore[no-any-return]
