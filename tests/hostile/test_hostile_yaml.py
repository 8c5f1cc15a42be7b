"""Edition YAML files (config/frameworks, ``validate PATH``): alias bombs, deep nesting, huge numbers, huge
files and devices are refused with a message in seconds; one bad file never hides the good editions."""

from __future__ import annotations

import shutil

import pytest

from dti import limits
from dti.framework import registry
from dti.framework.validation import FrameworkError, load_framework_file
from tests.hostile.conftest import ALIAS_BOMB, run_cli, within

pytestmark = pytest.mark.timeout(120)

HOSTILE_YAML = {
    "alias-bomb.yaml": (ALIAS_BOMB, "expands to more than 1,000,000 nodes through its aliases"),
    "deep.yaml": ("a: " + "[" * 20_000 + "]" * 20_000 + "\n", "is nested deeper than 64 levels"),
    "big-number.yaml": ("id: x\ntotal_points: " + "9" * 5000 + "\n", "has a number longer than 30 digits"),
    "many-aliases.yaml": ("a: &a 1\nb: [" + ", ".join(["*a"] * 1500) + "]\n", "uses more than 1,000 aliases"),
    "long-title.yaml": ("id: x\ntitle_vi: " + "t" * 20_000 + "\n", "line 2: has a text of 20,000 characters, over the "
                        "limit of 10,000"),
}


def test_the_alias_bomb_is_small():
    assert len(ALIAS_BOMB.encode()) < 400  # the 389-byte bomb of the report, give or take its key names


@pytest.fixture
def folder(tmp_path):
    """The shipped 2022 edition beside every hostile file."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    shutil.copy(registry.DEFAULT_FRAMEWORKS_DIR / "dti-2022-province.yaml", folder)
    for name, (text, _) in HOSTILE_YAML.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML))
def test_a_hostile_edition_file_is_refused_with_its_problem(folder, name):
    with within(), pytest.raises(FrameworkError) as exc:
        load_framework_file(folder / name)
    assert [p.file for p in exc.value.problems] == [name]
    assert HOSTILE_YAML[name][1] in str(exc.value)


def test_one_bad_edition_never_affects_the_others(folder):
    with within(2 * len(HOSTILE_YAML) + 5):
        editions, problems = registry.load_all(folder)
    assert list(editions) == ["dti-2022-province"]
    assert sorted({p.file for p in problems}) == sorted(HOSTILE_YAML)


def test_validate_lists_every_hostile_file_and_exits_1(folder):
    done = run_cli("validate", folder)
    assert done.returncode == 1
    for name, (_, message) in HOSTILE_YAML.items():
        assert any(line.startswith(name) and message in line for line in done.stderr.splitlines()), done.stderr
    assert "dti-2022-province.yaml: ok" in done.stdout


def test_validate_dev_zero_is_refused_at_once():
    done = run_cli("validate", "/dev/zero")
    assert done.returncode == 1
    assert done.stderr.strip() == ("/dev/zero: is not a regular file (a folder, a device or a pipe); "
                                   "give the path of a file")


def test_a_yaml_file_over_the_size_limit_is_not_read(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("notes: |\n")
        line = "  " + "x" * 1000 + "\n"
        for _ in range(limits.MAX_YAML_BYTES // len(line) + 10):
            fh.write(line)
    done = run_cli("validate", path)
    assert done.returncode == 1
    assert "huge.yaml: is 2.1 MB, over the 2 MB limit" in done.stderr


def test_the_shipped_editions_stay_within_the_limits():
    # The limits are for hostile files: the real editions (with their 90 aliases) load as before.
    editions, problems = registry.load_all()
    assert not problems and "dti-2022-province" in editions


def test_the_app_still_opens_with_a_bomb_in_the_frameworks_folder(folder, tmp_path, monkeypatch):
    from tests.apptest_support import assert_clean, isolate, open_page

    isolate(tmp_path, monkeypatch)
    monkeypatch.setenv("DTI_FRAMEWORKS_DIR", str(folder))
    from ui import state

    state._load_editions.clear()
    with within(60):  # the whole app and a page, in AppTest
        at = open_page("framework")
    assert_clean(at)
    shown = " ".join(m.value for m in [*at.code, *at.caption])
    assert "alias-bomb.yaml" in shown and "deep.yaml" in shown and "big-number.yaml" in shown
