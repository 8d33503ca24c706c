"""The sources catalogue (lists/sources.yaml): which lists the service loads, and from where.

A source is remote (`url:`, or `files:` for formats that read several files) and is fetched by
the refresh, or local (`path:`, relative to the lists folder), like the curated lists shipped in
lists/. A local YAML list describes itself in its `list:` block, so its catalogue entry may
leave out name, authority, category and default action; values given here override the file's.
Everything is validated with unknown fields refused, and every problem raises ListFormatError
naming the file, the source and the line.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from app.core.errors import ListFormatError
from app.lists.models import ListAction, ListInfo
from app.lists.parsers import FOLDER_FORMATS, FORMATS
from app.lists.parsers.curated_yaml import read_list_info
from app.lists.yaml_files import describe_errors, item_lines, item_position, read_yaml_mapping

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)]
Category = Literal["sanctions", "special_measure", "high_risk", "export_control", "pep", "internal"]
# The metadata a list needs; a local YAML list may take it from its own `list:` block.
_LIST_FIELDS = ("name", "authority", "category", "default_action")


def _check_location(location: str) -> str:
    """https, file:// or a relative path. Plain http is refused: list data must not be tampered with."""
    scheme = urlparse(location).scheme
    if scheme == "https" or scheme == "file":
        return location
    if scheme:
        raise ValueError(f"{location!r}: only https://, file:// or a relative path are accepted")
    if PurePosixPath(location).is_absolute():
        raise ValueError(f"{location!r}: an absolute path must be written as a file:// URL")
    return location


class SourceSpec(BaseModel):
    """One entry of the sources catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug  # the list id the source loads into
    name: Text | None = None
    authority: Text | None = None
    category: Category | None = None
    default_action: ListAction | None = None
    legal_basis: Text | None = None
    source_url: Text | None = None  # the publisher's page about the list, for people
    description: Text | None = None
    licence: Text | None = None  # terms of use of the data, where they restrict it
    default_threshold: float | None = Field(default=None, ge=0, le=1)
    format: Text
    url: Text | None = None  # one file: https://, file:// or a path relative to the lists folder
    files: dict[Text, Text] | None = None  # several files (ofac-csv): file name -> location
    path: Text | None = None  # a local list shipped with the service, relative to the lists folder
    enabled: bool = True
    # Hours after which a fetched list counts as stale; None: the service default.
    freshness_hours: float | None = Field(default=None, gt=0)
    # Share of entries a refresh may lose before it is rejected; None: the service default (0.2).
    max_shrink: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> SourceSpec:
        if self.format not in FORMATS:
            raise ValueError(
                f"format {self.format!r} is unknown; known: {', '.join(sorted(FORMATS))}"
            )
        given = [key for key in ("url", "files", "path") if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of url, files or path")
        if self.files is not None:
            self._check_files(self.files)
        if self.url is not None:
            _check_location(self.url)
            if self.format in FOLDER_FORMATS and urlparse(self.url).scheme == "https":
                raise ValueError(
                    f"format {self.format} reads several files: list them under `files:`"
                )
        if self.path is not None and (
            urlparse(self.path).scheme or PurePosixPath(self.path).is_absolute()
        ):
            raise ValueError(f"path {self.path!r} must be relative to the lists folder")
        if self.is_remote:
            missing = [key for key in _LIST_FIELDS if getattr(self, key) is None]
            if missing:
                raise ValueError(f"a remote source needs {', '.join(missing)}")
        return self

    def _check_files(self, files: dict[str, str]) -> None:
        if self.format not in FOLDER_FORMATS:
            raise ValueError(
                f"`files:` is only for {', '.join(sorted(FOLDER_FORMATS))}; use `url:`"
            )
        if not files:
            raise ValueError("`files:` is empty")
        for name, location in files.items():
            if "/" in name or "\\" in name or name in (".", ".."):
                raise ValueError(f"file name {name!r} must be a plain name, not a path")
            _check_location(location)

    @property
    def is_remote(self) -> bool:
        """Fetched by the refresh (url or files), as opposed to a list shipped in lists/."""
        return self.path is None

    @property
    def location(self) -> str:
        """Where the single file is; sources with `files:` have no single location."""
        location = self.url or self.path
        if location is None:
            raise ValueError(f"source {self.id!r} has several files, not one location")
        return location

    def to_list_info(self) -> ListInfo:
        missing = [key for key in _LIST_FIELDS if getattr(self, key) is None]
        if missing:
            raise ValueError(f"source {self.id!r} lacks {', '.join(missing)}")
        return ListInfo(
            id=self.id,
            name=self.name or self.id,
            authority=self.authority or "",
            category=self.category or "sanctions",
            default_action=self.default_action or ListAction.BLOCK,
            legal_basis=self.legal_basis,
            source_url=self.source_url,
            default_threshold=self.default_threshold,
        )


class _Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[dict[str, object]] = Field(min_length=1)


def load_sources(path: Path, *, lists_dir: Path | None = None) -> list[SourceSpec]:
    """Every source of the catalogue, validated; local YAML lists complete their metadata.

    `lists_dir` is where relative paths point (default: the catalogue's own folder).
    """
    base = lists_dir if lists_dir is not None else path.parent
    document, root = read_yaml_mapping(path, expected="`sources:`")
    try:
        catalogue = _Catalogue.model_validate(document)
    except ValidationError as exc:
        raise ListFormatError(describe_errors(exc), source=path.name) from exc
    lines = item_lines(root, "sources")
    specs: list[SourceSpec] = []
    positions: dict[str, str] = {}
    for number, raw in enumerate(catalogue.sources, start=1):
        position = item_position("source", number, raw, lines.get(number))
        try:
            spec = SourceSpec.model_validate(raw)
        except ValidationError as exc:
            raise ListFormatError(
                describe_errors(exc), source=path.name, position=position
            ) from exc
        if spec.id in positions:
            raise ListFormatError(
                f"duplicate source id {spec.id!r} (first at {positions[spec.id]})",
                source=path.name,
                position=position,
            )
        positions[spec.id] = position
        specs.append(_complete_from_list_file(spec, base, source=path.name, position=position))
    return specs


def _complete_from_list_file(
    spec: SourceSpec, base: Path, *, source: str, position: str
) -> SourceSpec:
    """Fill a local YAML source's missing metadata from the list file's own `list:` block."""
    if spec.path is None:
        return spec
    if spec.format != "yaml":
        missing = [key for key in _LIST_FIELDS if getattr(spec, key) is None]
        if missing:
            raise ListFormatError(
                f"a local {spec.format} list needs {', '.join(missing)}",
                source=source,
                position=position,
            )
        return spec
    info = read_list_info(base / spec.path)  # raises ListFormatError naming the list file
    if info.id != spec.id:
        raise ListFormatError(
            f"{spec.path} is list {info.id!r}, not {spec.id!r}", source=source, position=position
        )
    given = spec.model_dump(exclude_none=True)
    from_file = {
        "name": info.name,
        "authority": info.authority,
        "category": info.category,
        "default_action": info.default_action,
        "legal_basis": info.legal_basis,
        "source_url": info.source_url,
        "default_threshold": info.default_threshold,
    }
    return SourceSpec.model_validate({**from_file, **given})
