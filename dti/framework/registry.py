"""Where framework editions live: every ``*.yaml`` under ``config/frameworks/`` is an edition.

A new edition is a new file, never new code. ``DTI_FRAMEWORKS_DIR`` points elsewhere (tests, a
province's own folder of editions loaded from its official catalogue).
"""

from __future__ import annotations

import os
from pathlib import Path

from dti.framework.model import Framework
from dti.framework.validation import FrameworkError, Problem, load_framework_file

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_FRAMEWORKS_DIR = REPO_ROOT / "config" / "frameworks"
DEFAULT_EDITION = "dti-2022-province"


def frameworks_dir() -> Path:
    return Path(os.environ.get("DTI_FRAMEWORKS_DIR", DEFAULT_FRAMEWORKS_DIR))


def edition_files(folder: Path | None = None) -> dict[str, Path]:
    """Edition id (the file's stem) → file."""
    folder = folder or frameworks_dir()
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def resolve(name_or_path: str | Path) -> Path:
    """An edition id under the frameworks folder, or a path to a YAML file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    files = edition_files()
    if str(name_or_path) in files:
        return files[str(name_or_path)]
    known = ", ".join(files) or "(none)"
    raise FrameworkError([Problem(str(name_or_path), "", f"is neither a YAML file nor a known edition; "
                                  f"use a path or one of: {known}")])


def load(name_or_path: str | Path) -> Framework:
    return load_framework_file(resolve(name_or_path))


def load_all(folder: Path | None = None) -> tuple[dict[str, Framework], list[Problem]]:
    """Every valid edition, plus the problems of the files that are not (so one broken file hides nothing)."""
    editions: dict[str, Framework] = {}
    problems: list[Problem] = []
    for path in edition_files(folder).values():
        try:
            fw = load_framework_file(path)
        except FrameworkError as exc:
            problems.extend(exc.problems)
            continue
        editions[fw.id] = fw
    return editions, problems
