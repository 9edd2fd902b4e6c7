"""The house rules of the code, checked: which package may import which, thin pages, short
modules. They are the README's "Developing" rules; a change that breaks one fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

CORE = REPO_ROOT / "core"
#: What each core package may import from core (itself always).
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "db": {"domain"},
    "progress": {"domain", "db"},
    "sharing": {"domain", "db"},
    "files": {"domain", "db"},
}
MAX_LINES = 600


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_core_never_imports_streamlit_and_keeps_to_its_package_rules(path: Path) -> None:
    imports = imported_modules(path)
    assert not any(name == "streamlit" or name.startswith("streamlit.") for name in imports)
    parts = path.relative_to(CORE).parts
    if len(parts) == 1:  # core/__init__.py and core/demo.py, above the packages
        return
    package = parts[0]
    used = {name.split(".")[1] for name in imports if name.startswith("core.")}
    used = {name for name in used if name in ALLOWED}
    assert used <= ALLOWED[package] | {package}, (package, sorted(used))


def test_every_core_package_says_what_it_owns_and_may_import() -> None:
    for package in ALLOWED:
        doc = ast.get_docstring(ast.parse((CORE / package / "__init__.py").read_text()))
        assert doc and "import" in doc, package


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_core_module_is_long_unless_it_says_why(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    assert lines <= MAX_LINES or "one piece" in doc, f"{path.name}: {lines} lines"


@pytest.mark.parametrize(
    "path",
    sorted([*(REPO_ROOT / "views").glob("*.py"), *(REPO_ROOT / "ui").glob("*.py")]),
    ids=lambda p: str(p.relative_to(REPO_ROOT)),
)
def test_pages_and_ui_never_touch_a_connection_or_run_sql(path: Path) -> None:
    text = path.read_text()
    assert not re.search(r"\.con\b", text)
    assert "execute(" not in text
    assert "import duckdb" not in text
