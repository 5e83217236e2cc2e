"""A pytest plugin that collects `supabase/tests/**/*.sql` (where `supabase test db` looks) and
runs each file as one test item against the test session's local stack."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from devstack.pgtap.runner import TapReport, run_file


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pgtap-db-url",
        default=None,
        help="Run pgTAP files against this database instead of starting a local stack.",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".sql" and _is_test_file(file_path):
        file: PgTapFile = PgTapFile.from_parent(parent, path=file_path)
        return file
    return None


def _is_test_file(path: Path) -> bool:
    parts = path.parts
    return any(a == "supabase" and b == "tests" for a, b in itertools.pairwise(parts))


class PgTapFile(pytest.File):
    def collect(self) -> list[PgTapItem]:
        return [PgTapItem.from_parent(self, name=self.path.name)]


class PgTapFailure(Exception):
    def __init__(self, report: TapReport) -> None:
        super().__init__(report.explain())
        self.report = report


class PgTapItem(pytest.Item):
    def runtest(self) -> None:
        report = run_file(_database_url(self.config), self.path)
        if not report.passed:
            raise PgTapFailure(report)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PgTapFailure):
            return f"{self.path.name}:\n{excinfo.value.report.explain()}"
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"pgtap: {self.path.name}"


def _database_url(config: pytest.Config) -> str:
    explicit: str | None = config.getoption("--pgtap-db-url")
    if explicit:
        return explicit
    from devstack.testing import session_stack

    return session_stack(config).config.db_url()
