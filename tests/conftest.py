"""Fixtures shared by every Python test: the session's local stack, clients for it, and a
private cupsd with a queue that writes PDFs to a file."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from supabase import Client, ClientOptions, create_client

from devstack import local_cups
from devstack.local_cups import LocalCups
from devstack.stack import keys
from devstack.stack.manager import LocalStack
from devstack.testing import session_stack

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> LocalStack:
    """The test session's stack (started once, on free ports, torn down at the end)."""
    return session_stack(request.config)


@pytest.fixture(scope="session")
def supabase_env(stack: LocalStack) -> dict[str, str]:
    return stack.config.client_env()


@pytest.fixture
def db(stack: LocalStack) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A superuser connection (autocommit) for arranging data and asserting effects."""
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        yield conn


@pytest.fixture
def make_token(stack: LocalStack) -> Callable[..., str]:
    """Mint a user access token signed with the stack's JWT secret."""

    def make(sub: str, **claims: Any) -> str:
        return keys.access_token(stack.config.jwt_secret, sub=sub, **claims)

    return make


@pytest.fixture
def make_client(stack: LocalStack) -> Iterator[Callable[..., Client]]:
    """A supabase-py sync client as anon (default), service_role, or a user (access_token).

    Each client gets an httpx client we own, so the test closes its sockets (supabase-py
    does not close the ones it creates)."""
    http_clients: list[httpx.Client] = []

    def make(role: str = "anon", access_token: str | None = None) -> Client:
        key = stack.config.service_role_key if role == "service_role" else stack.config.anon_key
        http_client = httpx.Client()
        http_clients.append(http_client)
        headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
        options = ClientOptions(headers=headers, httpx_client=http_client, auto_refresh_token=False)
        return create_client(stack.config.api_url, key, options)

    yield make
    for http_client in http_clients:
        http_client.close()


@pytest.fixture(scope="session")
def cups_server() -> Iterator[LocalCups]:
    """One cupsd for the session (ready in milliseconds; stopped by its recorded pid)."""
    # Not under pytest's tmp_path: its parents are 0700 and CUPS filters run as `lp`.
    state_dir = Path(tempfile.mkdtemp(prefix="hm-test-cups-"))
    server = local_cups.start(state_dir)
    yield server
    server.stop()
    shutil.rmtree(state_dir, ignore_errors=True)


@pytest.fixture
def cups(cups_server: LocalCups) -> Iterator[LocalCups]:
    """The session's cupsd with its queue enabled, accepting, empty, and no output file."""
    server = local_cups.start(cups_server.state_dir, queue=cups_server.queue)
    server.admin("cancel", "-a", server.queue)
    server.admin("cupsenable", server.queue)
    server.admin("cupsaccept", server.queue)
    server.output_path.unlink(missing_ok=True)
    yield server
    server.admin("lpadmin", "-p", server.queue, "-o", "job-hold-until-default=no-hold")
    server.admin("cancel", "-a", server.queue)
    server.admin("cupsenable", server.queue)
    server.admin("cupsaccept", server.queue)
    server.admin("lpadmin", "-p", server.queue, "-o", "job-hold-until-default=no-hold")
