"""Entry point of each webhook server process when WEBHOOK_PROCESSES > 1: uvicorn starts the
processes itself and builds the app in each from this factory (by import string)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from workers.logs import configure_logging
from workers.runtime import webhook_app
from workers.settings import WorkerSettings


def app_from_environment() -> FastAPI:
    # Each process is a fresh interpreter: it configures its logs as `hm webhook serve` does.
    configure_logging(os.environ.get("HM_LOG_LEVEL", "INFO"))
    return webhook_app(WorkerSettings())
