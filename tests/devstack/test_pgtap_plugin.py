"""The pgTAP plugin turns each SQL file into a pytest item and explains failures in TAP terms."""

from __future__ import annotations

import pytest

from devstack.stack.manager import LocalStack

PASSING = """
begin;
select plan(2);
select ok(true, 'truth holds');
select is(1 + 1, 2, 'arithmetic holds');
select * from finish();
rollback;
"""

FAILING = """
begin;
select plan(3);
select ok(true, 'first is fine');
select is(40 + 1, 42, 'the answer is computed');
select * from finish();
rollback;
"""

BROKEN = """
begin;
select plan(1);
select no_such_function();
rollback;
"""


def run_pgtap(pytester: pytest.Pytester, stack: LocalStack, **files: str) -> pytest.RunResult:
    folder = pytester.mkdir("supabase").joinpath("tests")
    folder.mkdir()
    for name, sql in files.items():
        folder.joinpath(f"{name}.sql").write_text(sql)
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--pgtap-db-url={stack.config.db_url()}", str(folder)
    )


def test_passing_file_is_one_passing_item(pytester: pytest.Pytester, stack: LocalStack) -> None:
    result = run_pgtap(pytester, stack, passing=PASSING)
    result.assert_outcomes(passed=1)


def test_failure_names_assertion_with_diagnostics_and_plan(
    pytester: pytest.Pytester, stack: LocalStack
) -> None:
    result = run_pgtap(pytester, stack, failing=FAILING)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*not ok 2 - the answer is computed*",
            "*have: 41*",
            "*want: 42*",
            "*planned 3 assertions but ran 2*",
        ]
    )


def test_sql_error_is_reported(pytester: pytest.Pytester, stack: LocalStack) -> None:
    result = run_pgtap(pytester, stack, broken=BROKEN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*function no_such_function() does not exist*"])


UUID_NOISE = """
begin;
select plan(1);
select '1c810263-0000-4000-8000-000000000000'::uuid;
select ok(true, 'a setup query printed a uuid first');
select * from finish();
rollback;
"""


def test_stray_output_is_not_taken_for_a_plan(pytester: pytest.Pytester, stack: LocalStack) -> None:
    result = run_pgtap(pytester, stack, noise=UUID_NOISE)
    result.assert_outcomes(passed=1)
