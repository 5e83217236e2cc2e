"""Run one pgTAP file through psql (as pg_prove does) and judge its TAP output."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tap.line import Diagnostic, Plan, Result
from tap.parser import Parser


@dataclass
class Assertion:
    number: int
    ok: bool
    description: str
    directive: str = ""
    diagnostics: list[str] = field(default_factory=list)


@dataclass
class TapReport:
    planned: int | None
    assertions: list[Assertion]
    errors: str
    exit_code: int

    @property
    def failures(self) -> list[Assertion]:
        return [a for a in self.assertions if not a.ok and "todo" not in a.directive.lower()]

    @property
    def passed(self) -> bool:
        return (
            self.exit_code == 0
            and not self.failures
            and self.planned is not None
            and self.planned == len(self.assertions)
        )

    def explain(self) -> str:
        """What went wrong, in pgTAP's own words."""
        lines: list[str] = []
        for failure in self.failures:
            lines.append(f"not ok {failure.number} - {failure.description}")
            lines.extend(f"    {diagnostic}" for diagnostic in failure.diagnostics)
        if self.planned is None:
            lines.append("no plan was declared (select plan(n) or no_plan())")
        elif self.planned != len(self.assertions):
            lines.append(f"planned {self.planned} assertions but ran {len(self.assertions)}")
        if self.exit_code != 0:
            lines.append(f"psql exited with {self.exit_code}:")
        if self.errors.strip():
            lines.append(self.errors.strip())
        return "\n".join(lines)


# What TAP lines look like. Anything else psql prints (a setup query's result, say a uuid such as
# "1c810263-…", which tap.py's loose plan pattern would take for "1..N") is not TAP.
TAP_LINE = re.compile(r"^(?:(?:not )?ok\b|1\.\.\d+\s*(?:#.*)?$|\s*#|Bail out!)")


def parse(output: str) -> tuple[int | None, list[Assertion]]:
    planned: int | None = None
    assertions: list[Assertion] = []
    tap = "\n".join(line for line in output.splitlines() if TAP_LINE.match(line))
    for line in Parser().parse_text(tap):
        if isinstance(line, Plan):
            planned = line.expected_tests
        elif isinstance(line, Result):
            directive = line.directive.text if line.directive else ""
            # tap.py keeps the " - " separator at the start of the description.
            description = line.description.removeprefix("- ").strip()
            number = line.number or len(assertions) + 1
            assertions.append(Assertion(number, line.ok, description, directive))
        elif isinstance(line, Diagnostic) and assertions:
            assertions[-1].diagnostics.append(line.text.removeprefix("#").strip())
    return planned, assertions


def run_file(db_url: str, sql_file: Path, timeout: float = 300) -> TapReport:
    completed = subprocess.run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--tuples-only",
            "--no-align",
            "--set",
            "ON_ERROR_STOP=1",
            "--pset",
            "pager=off",
            "--dbname",
            db_url,
            "--file",
            str(sql_file),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    planned, assertions = parse(completed.stdout)
    return TapReport(planned, assertions, completed.stderr, completed.returncode)
