"""The product (hm, workers, pi_agent) never imports devstack, not even inside a function: the
stand-in is a development tool that the Pi and the worker hosts do not run. (`hm.cli` names
devstack's command groups as strings and loads them only where devstack is installed.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PRODUCT_PACKAGES = ("hm", "workers", "pi_agent")


def imported_modules(source: Path) -> list[str]:
    modules: list[str] = []
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
    return modules


@pytest.mark.parametrize("package", PRODUCT_PACKAGES)
def test_no_product_module_imports_devstack(package: str) -> None:
    offenders = [
        f"{source.relative_to(REPO_ROOT)}: {module}"
        for source in sorted((REPO_ROOT / package).rglob("*.py"))
        for module in imported_modules(source)
        if module.split(".")[0] == "devstack"
    ]
    assert offenders == []
