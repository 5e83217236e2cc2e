"""`python -m devstack.simulators --port N [--config-json …]`: what SimulatorProcess spawns."""

from __future__ import annotations

import argparse

from devstack.simulators.config import SimulatorConfig
from devstack.simulators.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(description="Twilio + MailerSend simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=54340)
    parser.add_argument("--config-json", default="{}")
    args = parser.parse_args()
    serve(SimulatorConfig.model_validate_json(args.config_json), args.host, args.port)


main()
