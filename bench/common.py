"""Loading helpers shared by the matching bench scripts.

The real list files live beside the repository (../shared/data by default); nothing here is
committed with them. OFAC's newest full sdn.csv (2024-05-03) is combined with the 2025-12
add/alt/comments files in a temporary folder, as the parser expects one folder per set.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from app.lists.models import ListEntry  # noqa: E402
from app.lists.parsers import parse_list  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"


def _sdn_folder(data: Path, work: Path) -> Path:
    folder = work / "ofac-sdn"
    folder.mkdir()
    (folder / "sdn.csv").symlink_to(data / "ofac_sdn/2024-05-03_sdn_only/sdn.csv")
    for name in ("add.csv", "alt.csv", "sdn_comments.csv"):
        (folder / name).symlink_to(data / "ofac_sdn/2025-12_add_alt_comments" / name)
    return folder


def load_lists(
    data: Path = DEFAULT_DATA, only: set[str] | None = None
) -> dict[str, list[ListEntry]]:
    """Every real list, keyed by list id; a format whose parser is missing is skipped with a note."""
    lists: dict[str, list[ListEntry]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sources = {
            "ofac-sdn": ("ofac-csv", lambda: _sdn_folder(data, Path(tmp))),
            "ofac-cons": ("ofac-csv", lambda: data / "ofac_consolidated_nonsdn"),
            "un-sc": ("un-xml", lambda: data / "un/UN_consolidated.xml"),
            "us-csl": ("us-csl", lambda: data / "us_csl/consolidated.csv"),
        }
        for list_id, (fmt, locate) in sources.items():
            if only is not None and list_id not in only:
                continue
            try:
                lists[list_id] = list(parse_list(fmt, locate(), list_id=list_id))
            except (ImportError, ModuleNotFoundError) as error:
                print(  # noqa: T201
                    f"note: {list_id} not loaded ({fmt} parser unavailable: {error})",
                    file=sys.stderr,
                )
    return lists


def data_arg(argv: list[str]) -> Path:
    """The data folder: first command-line argument, else ../shared/data beside the repo."""
    return Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
