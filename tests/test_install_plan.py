"""scripts/install's apt decision (`--plan`), on machines this one cannot become: one without
PostgreSQL, one with the base image's 15.18. A fake `dpkg-query` answers for the packages; the
real `dpkg --compare-versions` compares the versions. Nothing is installed or removed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TESTED_POSTGRES = "15.20-0+deb12u1"
KEEP_VERSIONS = "HM_KEEP_INSTALLED_VERSIONS"
POSTGRES_PACKAGES = [
    "libtap-parser-sourcehandler-pgtap-perl",
    "postgresql-15",
    "postgresql-15-pgtap",
    "postgresql-15-wal2json",
]
OTHER_PACKAGES = [
    "cups", "cups-client", "cups-bsd", "libcups2-dev", "fonts-dejavu-core",
    "chromium", "chromium-driver", "fonts-liberation",
    "python3-venv", "python3-dev", "gcc", "locales",
]  # fmt: skip

FAKE_DPKG_QUERY = """#!/usr/bin/env bash
# dpkg-query -W -f=FORMAT PACKAGE, answered from $FAKE_DPKG_DIR/<package> (its version).
format=${2#-f=}
package=$3
[ -f "$FAKE_DPKG_DIR/$package" ] || exit 1
case "$format" in
  *Status*) printf 'install ok installed' ;;
  *Version*) cat "$FAKE_DPKG_DIR/$package" ;;
esac
"""


def plan(tmp_path: Path, installed: dict[str, str], **env: str) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dpkg-query"
    fake.write_text(FAKE_DPKG_QUERY)
    fake.chmod(0o755)
    state = tmp_path / "dpkg"
    state.mkdir()
    for package, version in installed.items():
        (state / package).write_text(version)
    result = subprocess.run(
        [str(REPO / "scripts" / "install"), "--plan"],
        env={
            # The machine's own choice to keep older versions (a 15.18 proof run sets it) must
            # not decide the plans of the machines pretended here.
            **{name: value for name, value in os.environ.items() if name != KEEP_VERSIONS},
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "FAKE_DPKG_DIR": str(state),
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def everything_but_postgres() -> dict[str, str]:
    return dict.fromkeys(OTHER_PACKAGES, "1.0")


def test_a_machine_without_postgresql_installs_it_with_its_extensions(tmp_path: Path) -> None:
    assert plan(tmp_path, everything_but_postgres()) == POSTGRES_PACKAGES


def test_the_base_images_postgresql_is_upgraded_to_the_tested_release(tmp_path: Path) -> None:
    installed = {
        **everything_but_postgres(),
        **dict.fromkeys(POSTGRES_PACKAGES, "1.0"),
        "postgresql-15": "15.18-0+deb12u1",
        "postgresql-client-15": "15.18-0+deb12u1",
    }
    assert plan(tmp_path, installed) == ["postgresql-15", "postgresql-client-15"]


@pytest.mark.parametrize(
    ("postgres", "env"),
    [(TESTED_POSTGRES, {}), ("15.18-0+deb12u1", {KEEP_VERSIONS: "1"})],
    ids=["current", "older but kept on purpose"],
)
def test_nothing_to_install_when_everything_is_there(
    tmp_path: Path, postgres: str, env: dict[str, str]
) -> None:
    installed = {
        **everything_but_postgres(),
        **dict.fromkeys(POSTGRES_PACKAGES, "1.0"),
        "postgresql-15": postgres,
        "postgresql-client-15": postgres,
    }
    assert plan(tmp_path, installed, **env) == []
