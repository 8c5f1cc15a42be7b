"""Command line: ``python -m dti validate|describe|score``.

Used by scripts and by our own checks. Every failure is one line per problem on stderr and a non-zero
exit; a traceback never reaches the user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from dti import limits
from dti.framework import registry
from dti.framework.model import Framework
from dti.framework.validation import FrameworkError
from dti.io.excel import read_answer_file
from dti.io.inputs import read_main_values
from dti.roles import Actor
from dti.scoring.engine import EditionIncompleteError, InputProblems, Result, score, score_main_values


def describe_json(fw: Framework) -> dict:
    return {
        "id": fw.id,
        "title_vi": fw.title_vi,
        "title_en": fw.title_en,
        "legal_basis": fw.legal_basis,
        "year": fw.year,
        "status": fw.status,
        "complete": fw.complete,
        "total_points": fw.total_points,
        "official_appendix": fw.official_appendix,
        "sources": fw.sources,
        "pillars": [{"code": p.code, "name_vi": p.name_vi, "name_en": p.name_en, "main_indices": p.main_indices,
                     "max_points": p.max_points} for p in fw.pillars],
        "main_indices": [{
            "code": m.code, "name_vi": m.name_vi, "name_en": m.name_en, "max_points": m.max_points,
            "scored": m.scored, "group": m.group,
            "components": [{
                "code": c.code, "name_vi": c.name_vi, "name_en": c.name_en, "max_points": c.max_points,
                "provenance": c.provenance.status.value,
                "provenance_detail": c.provenance.model_dump(mode="json"),
                "measured_by": c.measured_by,
                "scoring_vi": c.scoring_vi,
                "scoring_review_vi": c.scoring_review_vi,
                "scoring_review_en": c.scoring_review_en,
                "rule": c.rule.model_dump(mode="json"),
            } for c in m.components],
        } for m in fw.main_indices],
    }


def _cmd_validate(args) -> int:
    paths: list[Path] = []
    for raw in args.paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            if not found:
                print(f"{p}: no .yaml files in this folder", file=sys.stderr)
                return 1
            paths.extend(found)
        else:
            paths.append(p)
    failed = 0
    valid: list[tuple[Path, Framework]] = []
    for p in paths:
        try:
            fw = registry.load_framework_file(p)
        except FrameworkError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        valid.append((p, fw))
        note = "" if fw.complete else " (incomplete edition: cannot be scored yet)"
        print(f"{p}: ok, {fw.id}: {len(fw.main_indices)} main indices, {len(fw.components)} components, "
              f"{fw.total_points:g} points{note}")
    for problem in registry.duplicate_ids(valid):  # two files with one id: the app would list one as broken
        failed += 1
        print(problem, file=sys.stderr)
    return 1 if failed else 0


def _cmd_describe(args) -> int:
    fw = registry.load(args.framework)
    doc = describe_json(fw)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(f"{fw.title_vi} / {fw.title_en}\n{fw.legal_basis}; {fw.total_points:g} points")
    for m in fw.main_indices:
        scored = "" if m.scored else " (không tính điểm / not scored)"
        print(f"  {m.code:>3} {m.name_vi} / {m.name_en}: {len(m.components)} components, "
              f"{_points(m.max_points)} points{scored}")
    if not fw.complete:
        print(f"  Chưa đủ để tính điểm / cannot be scored yet: {fw.missing_vi} / {fw.missing_en}")
    provisional = sum(c.provenance.status in ("provisional", "derived") for c in fw.components)
    from_file = sum(c.provenance.status == "from_file" for c in fw.components)
    if provisional:
        print(f"  {provisional} of {len(fw.components)} components carry a provisional title, point value or rule")
    if from_file:
        print(f"  {from_file} of {len(fw.components)} components are read from a file not stated to be the official "
              "appendix")
    review = sum(bool(c.scoring_review_en) for c in fw.components)
    if review:
        print(f"  {review} scoring methods wait for review: their points are entered directly")
    return 0


def _points(x: float | None) -> str:
    return "unknown" if x is None else f"{x:g}"


def _table(result: Result, fw: Framework) -> str:
    lines = [f"{fw.title_vi}", f"DTI {result.dti:.4f} ({result.points:.2f}/{result.max_points:g} points), "
             f"answered {result.answered}/{result.total}"
             + ("" if result.is_complete else " - conservative estimate: unanswered components count as 0")]
    lines.append("Pillars:" if result.pillars else "Pillars: none in this framework")
    for code, a in result.pillars.items():
        lines.append(f"  {code:<4}{fw.pillar_by_code[code].name_vi:<28}{a.value:.4f}  {a.points:8.2f}/{a.max_points:g}")
    lines.append("Main indices:")
    for code, a in result.main_indices.items():
        value = "not scored" if a.value is None else f"{a.value:.4f}"
        name = fw.main_index_by_code[code].name_vi
        lines.append(f"  {code:<4}{name:<32}{value:>10}  {a.points:8.2f}/{a.max_points:g}")
    lowest = result.lowest_main_indices[:3]
    lines.append("Lowest main indices: " + (", ".join(f"{c} {fw.main_index_by_code[c].name_vi}" for c in lowest)
                                            or "none yet (nothing answered)"))
    return "\n".join(lines)


def _cmd_score(args) -> int:
    fw = registry.load(args.framework)
    if bool(args.input) == bool(args.main_values):
        print("score: give exactly one of --input FILE or --main-values FILE", file=sys.stderr)
        return 2
    if args.input:
        result = score(fw, read_answer_file(fw, args.input))
    else:
        result = score_main_values(fw, read_main_values(fw, args.main_values))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(_table(result, fw))
    return 0


def schema_text() -> str:
    """The JSON Schema of a framework YAML, as committed in config/schema/ for editors' completion and checks."""
    return json.dumps(Framework.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


def _cmd_schema(args) -> int:
    text = schema_text()
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{args.output}: written")
    else:
        sys.stdout.write(text)
    return 0


# The person at the shell owns the files the CLI writes: they act as the coordinator. The checks that do not
# depend on the role (a shipped edition is never replaced, one file per id) apply to them as to the app.
CLI_ACTOR = Actor("cli", "coordinator", display_name="command line")


def _cmd_import_catalogue(args) -> int:
    from dti.io.catalogue import framework_from_catalogue, import_catalogue  # openpyxl only when importing
    from dti.io.editions import EditionExists, save_edition

    source = Path(args.file)
    out = Path(args.output)
    if out.exists() and not args.force:
        print(f"{out}: already exists; choose another file name or add --force to replace it", file=sys.stderr)
        return 1
    data = limits.read_file(source, limits.MAX_UPLOAD_BYTES)  # a regular file within the limit
    new_id = args.id or out.stem
    if args.edition:
        base = registry.load(args.edition)
        fw = import_catalogue(data, source.name, base, new_id=new_id, official=args.official or "")
        if args.title_vi or args.title_en:
            fw = fw.model_copy(update={k: v for k, v in (("title_vi", args.title_vi), ("title_en", args.title_en))
                                       if v})
    else:
        fw = framework_from_catalogue(data, source.name, new_id, title_vi=args.title_vi or "",
                                      title_en=args.title_en or "", official=args.official or "", year=args.year)
    try:
        save_edition(fw, CLI_ACTOR, path=out, overwrite=args.force)
    except (EditionExists, ValueError) as exc:  # EditionRefused is a ValueError
        print(f"{out}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{out}: cannot be written ({exc.strerror}); check the folder", file=sys.stderr)
        return 1
    review = [c for c in fw.components if c.scoring_review_en]
    print(f"{out}: written, {fw.id}: {len(fw.main_indices)} main indices, {len(fw.components)} components, "
          f"{fw.total_points:g} points; {len(fw.components) - len(review)} scoring methods read into rules, "
          f"{len(review)} to review")
    for c in review:
        print(f"  component {c.code}: scoring method to review ({c.scoring_review_en}); until then its points are "
              "entered directly")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dti", description="Provincial DTI self-assessment tools.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check framework YAML files or folders")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("describe", help="show a framework edition (an edition id or a YAML path)")
    p.add_argument("framework")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_describe)

    p = sub.add_parser("score", help="score component inputs or main-index values")
    p.add_argument("framework")
    p.add_argument("--input", help=".csv, .xlsx or .json with code and value (or points)")
    p.add_argument("--main-values", help="CSV code,value with main-index values 0..1")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("import-catalogue", help="turn an appendix table (.xlsx/.csv/.docx/.pdf) into a framework YAML")
    p.add_argument("file", help="the appendix: .xlsx, .csv, .docx or a PDF with text")
    p.add_argument("--edition", help="edition whose official structure it must match; without it, the structure "
                   "comes from the file and a new framework is written")
    p.add_argument("--title-vi", help="title of the new framework (default: the file's name)")
    p.add_argument("--title-en", help="English title (default: the Vietnamese one)")
    p.add_argument("--official", metavar="DECISION", help="state that the file is the official appendix of this "
                   "Decision, e.g. '405/QĐ-BKHCN': titles and points are then recorded as official")
    p.add_argument("--year", type=int, help="year of the framework (default: this year)")
    p.add_argument("-o", "--output", required=True, help="YAML to write, e.g. config/frameworks/my-edition.yaml")
    p.add_argument("--id", help="id of the new edition (default: the output file's name)")
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")
    p.set_defaults(func=_cmd_import_catalogue)

    p = sub.add_parser("schema", help="print or write the JSON Schema of framework YAML files")
    p.add_argument("-o", "--output", help="file to write, e.g. config/schema/framework.schema.json")
    p.set_defaults(func=_cmd_schema)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FrameworkError, InputProblems, limits.FileRefused) as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except EditionIncompleteError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (head, less) stopped reading: nothing is wrong with the input
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

