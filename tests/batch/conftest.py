from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.batch.reader import FileLayout, inspect_file, iter_records
from app.batch.rows import RejectedRow, ScreenableRow, validate_record

Row = ScreenableRow | RejectedRow


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[bytes], Path]:
    """Write bytes to a fresh file and return its path."""
    counter = iter(range(1000))

    def write(data: bytes) -> Path:
        path = tmp_path / f"upload-{next(counter)}.csv"
        path.write_bytes(data)
        return path

    return write


def read_rows(path: Path, layout: FileLayout | None = None, *, max_field_length: int = 200, **options: str) -> list[Row]:
    layout = layout or inspect_file(path, **options)  # type: ignore[arg-type]
    with path.open("rb") as stream:
        return [validate_record(r, layout, max_field_length=max_field_length) for r in iter_records(stream, layout)]
