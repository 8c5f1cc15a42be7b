"""Working across framework editions: what two editions share, and which answers survive a change of edition.

Editions renumber indicators (2022's main index 7 *Hoạt động chính quyền số* is 2025's main index 6), so
items are paired by title (normalised: case, diacritics and punctuation ignored) as well as by code. Answers
are carried only where the code matches and the input still reads under the new edition's rule: a carried
answer is never silently re-interpreted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from dti.framework import registry
from dti.framework.model import Framework
from dti.framework.validation import parse_framework
from dti.io.catalogue import framework_to_yaml, normalise
from dti.roles import Actor, require_coordinator
from dti.scoring.engine import Response
from dti.scoring.rules import InputError, check_points, points_from_value

# both: same code and title; same_code: the code is shared but the title differs (maybe another indicator);
# same_title: the title is shared under another code (renumbered); only_a / only_b: in one edition only.
PairStatus = Literal["both", "same_code", "same_title", "only_a", "only_b"]


@dataclass(frozen=True)
class Pair:
    kind: Literal["main index", "component"]
    status: PairStatus
    code_a: str | None
    code_b: str | None
    name_a_vi: str = ""
    name_a_en: str = ""
    name_b_vi: str = ""
    name_b_en: str = ""

    def name_a(self, lang: str) -> str:
        return self.name_a_en if lang == "en" else self.name_a_vi

    def name_b(self, lang: str) -> str:
        return self.name_b_en if lang == "en" else self.name_b_vi


@dataclass(frozen=True)
class EditionComparison:
    a: str
    b: str
    main_indices: list[Pair]
    components: list[Pair]

    def count(self, kind: str, status: str) -> int:
        pairs = self.main_indices if kind == "main index" else self.components
        return sum(p.status == status for p in pairs)


def _pair(kind, items_a: list, items_b: list) -> list[Pair]:
    """Pair items (anything with code, name_vi, name_en) by code and by normalised Vietnamese title."""
    def make(status, x, y) -> Pair:
        return Pair(kind, status, x.code if x else None, y.code if y else None,
                    x.name_vi if x else "", x.name_en if x else "", y.name_vi if y else "", y.name_en if y else "")

    pairs: list[Pair] = []
    left = list(items_a)
    right = list(items_b)
    # 1. same code and same title
    for x in list(left):
        y = next((y for y in right if y.code == x.code and normalise(y.name_vi) == normalise(x.name_vi)), None)
        if y is not None:
            pairs.append(make("both", x, y))
            left.remove(x)
            right.remove(y)
    # 2. same title under another code (renumbered); only when the title is unique on both sides
    for x in list(left):
        title = normalise(x.name_vi)
        same_a = [o for o in left if normalise(o.name_vi) == title]
        same_b = [y for y in right if normalise(y.name_vi) == title]
        if len(same_a) == 1 and len(same_b) == 1:
            pairs.append(make("same_title", x, same_b[0]))
            left.remove(x)
            right.remove(same_b[0])
    # 3. same code, another title
    for x in list(left):
        y = next((y for y in right if y.code == x.code), None)
        if y is not None:
            pairs.append(make("same_code", x, y))
            left.remove(x)
            right.remove(y)
    pairs += [make("only_a", x, None) for x in left]
    pairs += [make("only_b", None, y) for y in right]
    return sorted(pairs, key=lambda p: _order(p.code_a or p.code_b or ""))


def _order(code: str) -> tuple[int, ...]:
    return tuple(int(x) for x in code.split(".") if x.isdigit())


def compare_editions(a: Framework, b: Framework) -> EditionComparison:
    """Which main indices and components exist in both editions or in one only, by code and by title."""
    return EditionComparison(a.id, b.id, _pair("main index", a.main_indices, b.main_indices),
                             _pair("component", a.components, b.components))


@dataclass(frozen=True)
class NotCarried:
    code: str
    reason: str

    def __str__(self) -> str:
        return f"component {self.code}: {self.reason}"


def carry_responses(responses: Mapping[str, Response], from_fw: Framework,
                    to_fw: Framework) -> tuple[dict[str, Response], list[NotCarried]]:
    """Answers that keep their meaning in ``to_fw``: same code, and the input reads under the new rule.

    Returns (carried responses, what could not be carried and why). Blank answers are left out silently:
    there is nothing to carry.
    """
    carried: dict[str, Response] = {}
    dropped: list[NotCarried] = []
    for code, resp in responses.items():
        if not resp.is_answered:
            continue
        if not to_fw.complete:
            dropped.append(NotCarried(code, f"{to_fw.id} cannot be scored yet ({to_fw.missing_en or 'incomplete'}); "
                                      "load its official catalogue first"))
            continue
        new = to_fw.component_by_code.get(code)
        if new is None:
            dropped.append(NotCarried(code, f"is not a component of {to_fw.id}; enter the answer under its new code"))
            continue
        old = from_fw.component_by_code.get(code)
        # Titles read from a catalogue (official or a loaded file) name the indicator; placeholders do not.
        if old is not None and old.provenance.title in ("official", "from_file") \
                and new.provenance.title in ("official", "from_file") \
                and normalise(old.name_vi) != normalise(new.name_vi):
            dropped.append(NotCarried(code, f"has another title in {to_fw.id} ('{new.name_vi}' instead of "
                                      f"'{old.name_vi}'); answer it again"))
            continue
        try:
            if resp.points is not None:
                check_points(new, resp.points)
            else:
                points_from_value(new, resp.value)
        except InputError as exc:
            dropped.append(NotCarried(code, f"the answer does not fit the rule of {to_fw.id}: {exc}"))
            continue
        carried[code] = resp
    return carried, dropped


class EditionExists(FileExistsError):
    """Saving would replace an edition file; the caller must ask before overwriting."""


class EditionRefused(ValueError):
    """Saving is refused whatever the confirmation: a shipped edition, or an id another file already holds.

    ``key`` and ``params`` name the ``security.<key>`` text of config/i18n.yaml for the UI.
    """

    def __init__(self, message: str, key: str, **params):
        self.key, self.params = key, params
        super().__init__(message)


def edition_path(fw: Framework, folder: Path | None = None) -> Path:
    """Where ``fw`` is saved: ``<frameworks folder>/<id>.yaml`` (the registry reads the id from the file name)."""
    return (folder or registry.frameworks_dir()) / f"{fw.id}.yaml"


def check_edition_target(fw: Framework, path: Path) -> None:
    """Refuse (EditionRefused) writing ``fw`` to ``path`` when it would replace a shipped edition or give a
    second file the id of an edition that exists: a province's edition is a new file with a new id."""
    if fw.id in registry.SHIPPED_EDITIONS or (path.stem in registry.SHIPPED_EDITIONS
                                             and path.parent.resolve() == registry.DEFAULT_FRAMEWORKS_DIR.resolve()):
        raise EditionRefused(f"{fw.id} is an edition shipped with the app and is never replaced; "
                             "save the province's edition under a new id", "edition_shipped", edition=fw.id)
    if path.stem != fw.id:
        raise EditionRefused(f"{path.name}: an edition's file is named after its id; name it {fw.id}.yaml",
                             "edition_file_name", file=path.name, edition=fw.id)
    for folder in {path.parent.resolve(), registry.frameworks_dir().resolve()}:
        other = registry.file_of(fw.id, folder) if folder.is_dir() else None
        if other is not None and other.resolve() != path.resolve():
            raise EditionRefused(f"{fw.id} is already the id of {other}; two files cannot hold the same edition: "
                                 f"choose another id", "edition_duplicate", edition=fw.id, file=other.name)


def save_edition(fw: Framework, actor: Actor, folder: Path | None = None, overwrite: bool = False,
                 path: Path | None = None) -> Path:
    """Write ``fw`` as YAML (``<folder>/<id>.yaml`` unless ``path``); coordinator only.

    Never replaces a shipped edition nor gives a second file an existing id (EditionRefused), never replaces
    a file unless ``overwrite`` (EditionExists). The text is checked by loading it back before it replaces
    anything, and written through a temporary file, so a failure leaves no half-written edition behind.
    """
    require_coordinator(actor, "editions")
    path = path or edition_path(fw, folder)
    check_edition_target(fw, path)
    if path.exists() and not overwrite:
        raise EditionExists(f"{path.name} already exists; choose another id or confirm the replacement")
    text = framework_to_yaml(fw)
    if parse_framework(yaml.safe_load(text), path.name) != fw:
        raise ValueError(f"{path.name}: the YAML does not read back as the same edition; nothing was saved")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as tmp:
        tmp.write(text)
    os.replace(tmp.name, path)
    return path


def import_summary(fw: Framework) -> list[dict]:
    """One row per main index of an imported edition: what would be saved, for a preview before saving."""
    return [{
        "code": m.code, "name_vi": m.name_vi, "name_en": m.name_en, "components": len(m.components),
        "max_points": m.max_points,
        "rules_official": sum(c.provenance.rule == "official" for c in m.components),
        "rules_provisional": sum(c.provenance.rule != "official" for c in m.components),
    } for m in fw.main_indices]
