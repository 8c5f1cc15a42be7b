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
# The editions shipped with the app (the files of config/frameworks/ tracked in git; tests/test_security_editions.py
# checks the two agree). A shipped edition is never overwritten, by the app or the CLI: a province's edition is a
# new file with a new id. A list here, not a marker in the YAML, because a YAML marker travels with every copy
# of the file (an uploaded catalogue could claim it, a province's edition built from a shipped one would inherit
# it), while the code is what the province cannot change by uploading.
SHIPPED_EDITIONS = ("dti-2022-province", "dti-2025-province")


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


def duplicate_id_problem(path: Path, edition_id: str, kept: Path) -> Problem:
    return Problem(path.name, "id", f"{edition_id!r} is already the id of {kept.name}; two files cannot hold the "
                   f"same edition: give this one its own id (and file name <id>.yaml), or remove one of them")


def _preferred(edition_id: str, paths: list[Path]) -> Path:
    """Of several files holding one id, the one named ``<id>.yaml`` (the registry finds editions by it)."""
    return next((p for p in paths if p.stem == edition_id), paths[0])


def load_all(folder: Path | None = None) -> tuple[dict[str, Framework], list[Problem]]:
    """Every valid edition, plus the problems of the files that are not (so one broken file hides nothing).

    Two files with the same id are never resolved silently: the file named ``<id>.yaml`` is the edition and
    the other one is listed as broken, naming both files.
    """
    loaded: dict[str, list[tuple[Path, Framework]]] = {}
    problems: list[Problem] = []
    for path in edition_files(folder).values():
        try:
            fw = load_framework_file(path)
        except FrameworkError as exc:
            problems.extend(exc.problems)
            continue
        loaded.setdefault(fw.id, []).append((path, fw))
    editions: dict[str, Framework] = {}
    for edition_id, found in loaded.items():
        kept = _preferred(edition_id, [p for p, _ in found])
        for path, fw in found:
            if path == kept:
                editions[edition_id] = fw
            else:
                problems.append(duplicate_id_problem(path, edition_id, kept))
    return editions, problems


def duplicate_ids(frameworks: list[tuple[Path, Framework]]) -> list[Problem]:
    """One problem per file whose edition id another of ``frameworks`` already holds (for ``validate``)."""
    by_id: dict[str, list[Path]] = {}
    for path, fw in frameworks:
        by_id.setdefault(fw.id, []).append(path)
    return [duplicate_id_problem(p, edition_id, _preferred(edition_id, paths))
            for edition_id, paths in by_id.items() for p in paths if p != _preferred(edition_id, paths)]


def file_of(edition_id: str, folder: Path | None = None) -> Path | None:
    """The file under ``folder`` that holds ``edition_id`` (whatever its name), None if none does."""
    for path in edition_files(folder).values():
        try:
            if load_framework_file(path).id == edition_id:
                return path
        except FrameworkError:
            continue
    return None
