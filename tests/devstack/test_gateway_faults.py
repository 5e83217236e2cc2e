"""The gateway as a tool people run all day: a broken connection to PostgREST is retried where
that cannot repeat a write and otherwise answered like hosted Supabase's gateway (502, Kong's
message), and a client that hangs up mid-request leaves one log line, not a traceback."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from devstack.stack.api_keys import ApiKeyCheck
from devstack.stack.manager import LocalStack
from devstack.stack.rest_proxy import BAD_GATEWAY, RestProxy
from tests.devstack.resetting_proxy import ResettingProxy
from tests.polling import wait_for


@pytest.fixture
def one_reset(stack: LocalStack) -> Iterator[ResettingProxy]:
    proxy = ResettingProxy(stack.config.rest_port, resets=1)
    yield proxy
    proxy.close()


@contextlib.asynccontextmanager
async def _gateway_to(
    stack: LocalStack, upstream: str
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    rest = RestProxy(upstream, ApiKeyCheck(stack.config.anon_key, stack.config.service_role_key))
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app = Starlette(routes=[Route("/rest/v1/{path:path}", rest.handle, methods=methods)])
    key = stack.config.service_role_key
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client, {"apikey": key, "Authorization": f"Bearer {key}"}
    await rest.aclose()


async def test_a_read_whose_connection_was_reset_is_retried(
    stack: LocalStack, one_reset: ResettingProxy
) -> None:
    async with _gateway_to(stack, f"http://127.0.0.1:{one_reset.port}") as (client, headers):
        response = await client.get("/rest/v1/devices?select=id&limit=1", headers=headers)
        assert response.status_code == 200, response.text
        assert isinstance(response.json(), list)
    assert one_reset.connections == 2


async def test_a_write_whose_connection_was_reset_gets_kongs_502_not_a_replay(
    stack: LocalStack, one_reset: ResettingProxy
) -> None:
    async with _gateway_to(stack, f"http://127.0.0.1:{one_reset.port}") as (client, headers):
        response = await client.post("/rest/v1/rpc/my_staff_level", headers=headers, json={})
        assert response.status_code == 502
        assert response.json() == BAD_GATEWAY
    assert one_reset.connections == 1


async def test_postgrest_down_is_a_502_after_retrying(stack: LocalStack) -> None:
    with socket.create_server(("127.0.0.1", 0)) as reserved:
        closed_port = reserved.getsockname()[1]
    async with _gateway_to(stack, f"http://127.0.0.1:{closed_port}") as (client, headers):
        response = await client.post("/rest/v1/rpc/my_staff_level", headers=headers, json={})
        assert response.status_code == 502
        assert response.json() == BAD_GATEWAY


def test_a_client_hanging_up_mid_request_is_one_log_line(stack: LocalStack) -> None:
    log_file = stack.config.log_dir / "gateway.log"
    before = log_file.stat().st_size
    request = (
        "POST /rest/v1/rpc/my_staff_level HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\napikey: {stack.config.anon_key}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )
    with socket.create_connection(("127.0.0.1", stack.config.api_port)) as client:
        client.sendall(request.encode())
    written = wait_for(
        lambda: log_file.read_bytes()[before:].decode(errors="replace"),
        lambda text: "client disconnected mid-request" in text,
        seconds=10,
        what="the gateway logging the hang-up",
    )
    assert "POST /rest/v1/rpc/my_staff_level" in written
    assert "Traceback" not in written
