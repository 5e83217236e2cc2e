"""`hm stack up` / `hm dev up` refuse a port something else holds, naming the process."""

from __future__ import annotations

import os
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from devstack import testing
from devstack.stack.manager import LocalStack
from devstack.stack.ports import refuse_port_in_use
from devstack.stack.processes import free_port
from hm.errors import HmError


def test_a_port_held_by_a_listener_is_refused_naming_the_process_and_the_setting() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(HmError) as refused:
            refuse_port_in_use(port, "the provider simulator", "HM_SIM_PORT")
    message = str(refused.value)
    assert f"port {port}, which the provider simulator listens on" in message
    assert f"pid {os.getpid()} (" in message
    assert "set HM_SIM_PORT to a free port" in message


def test_a_free_port_is_accepted() -> None:
    refuse_port_in_use(free_port(), "the gateway", "HM_API_PORT")


def test_stack_up_on_a_taken_database_port_names_it_before_making_anything(
    tmp_path: Path,
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        config = replace(
            testing.test_stack_config(tmp_path / "state"), db_port=holder.getsockname()[1]
        )
        with pytest.raises(HmError, match="set HM_DB_PORT to a free port"):
            LocalStack(config).up()
    assert not config.db_dir.exists()
