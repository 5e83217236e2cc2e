"""Serve the simulator app with uvicorn (foreground)."""

from __future__ import annotations

import uvicorn

from devstack.simulators.app import create_app
from devstack.simulators.config import SimulatorConfig


def serve(config: SimulatorConfig, host: str, port: int) -> None:
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", access_log=False)
