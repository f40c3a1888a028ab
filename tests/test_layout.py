"""The architecture holds: imports point one way, and the wheel ships every package."""

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

SLACK = ("slack_sdk", "slack_bolt", "bot.slack")
# Each folder, and the modules it must never import (the rule: index <- bot.answer <- bot.slack/cli).
FORBIDDEN = {
    "index": ("bot", *SLACK),
    "bot/answer": (*SLACK, "bot.cli", "bot.eval"),
    "bot/state": (*SLACK, "bot.cli", "bot.eval"),
    # Access rules and the audit trail serve the CLI as much as Slack.
    "bot/access": (*SLACK, "bot.cli", "bot.eval"),
    "bot/audit": (*SLACK, "bot.cli", "bot.eval", "bot.access"),
    "bot/feeds": (*SLACK, "bot.eval"),  # posting and Slack commands live in bot/slack
    "bot/watches": (*SLACK, "bot.eval"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth (lazy imports inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_imports_point_one_way(folder):
    assert (ROOT / folder).is_dir()
    assert violations(folder, FORBIDDEN[folder]) == []


def test_the_import_check_catches_a_lazy_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from slack_bolt import App\n    import bot.slack.blocks\n")
    assert {"slack_bolt", "slack_bolt.App", "bot.slack.blocks"} <= imported_modules(module)


def source_packages() -> set[str]:
    """Dotted names of every package directory under bot/ and index/."""
    return {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("bot", "index")
        for init in (ROOT / top).rglob("__init__.py")
    }


def test_every_folder_of_python_code_is_a_package():
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("bot", "index")
        for p in (ROOT / top).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert folders == source_packages()


def test_wheel_ships_every_package(tmp_path):
    # Built from a copy: setuptools reuses a build/ folder, which would hide a missing package.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for top in ("bot", "index"):
        shutil.copytree(ROOT / top, source / top, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("investor_qa-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {name.rsplit("/", 1)[0].replace("/", ".") for name in names if name.endswith(".py")}
    missing = source_packages() - shipped
    assert not missing, f"packages missing from the wheel: {sorted(missing)}"
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
