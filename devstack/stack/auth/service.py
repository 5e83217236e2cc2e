"""The local Auth service: Supabase Auth's `/auth/v1` wire contract, mounted on the gateway."""

from __future__ import annotations

import logging

from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from devstack.stack.api_keys import ApiKeyCheck
from devstack.stack.auth.admin import AdminRoutes
from devstack.stack.auth.errors import AuthApiError
from devstack.stack.auth.mfa import MfaRoutes
from devstack.stack.auth.routes import AuthRoutes
from devstack.stack.auth.settings import AuthSettings
from devstack.stack.auth.tokens import Issuer
from devstack.stack.context import GatewayContext

log = logging.getLogger("hm.auth")

PREFIX = "/auth/v1"
# Reached from links in emails and OAuth redirects, so hosted Supabase's gateway asks no API key.
OPEN_PATHS = frozenset({"/verify", "/callback", "/authorize"})
# What supabase-js reads from responses across origins.
EXPOSED_HEADERS = ["x-total-count", "link", "x-supabase-api-version"]


class RequireApiKey:
    """The gateway's apikey check, on every path but the open ones and CORS preflight."""

    def __init__(self, app: ASGIApp, keys: ApiKeyCheck) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] != "OPTIONS":
            path = scope["path"].removeprefix(scope.get("root_path", ""))
            if path not in OPEN_PATHS and (refusal := self.keys.refusal(Request(scope))):
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, AuthApiError)
    return error.response(request)


async def routing_error(request: Request, error: Exception) -> Response:
    """Unknown paths and methods answer in Auth's JSON shape, which the clients can parse."""
    assert isinstance(error, HTTPException)
    code = "not_found" if error.status_code == 404 else "method_not_allowed"
    return AuthApiError(error.status_code, code, str(error.detail)).response(request)


async def unexpected_error(request: Request, error: Exception) -> Response:
    log.exception("Auth request %s %s failed", request.method, request.url.path, exc_info=error)
    return AuthApiError(
        500,
        "unexpected_failure",
        "Unexpected failure, please check server logs for more information",
    ).response(request)


class AuthService:
    """GatewayService for `/auth/v1`. Keeps its own autocommit pool: each handler decides
    where its transactions begin and end (a detected refresh-token reuse or a wrong code must
    be committed even though the request fails)."""

    prefix = PREFIX

    def __init__(self, context: GatewayContext, keys: ApiKeyCheck) -> None:
        config = context.config
        self.settings = AuthSettings.load()
        # Supabase Auth's own role, as GoTrue logs in: it owns the auth tables, and the
        # Send-SMS hook runs with exactly its rights.
        self.pool = AsyncConnectionPool(
            config.db_url("supabase_auth_admin"),
            min_size=1,
            max_size=10,
            kwargs={"autocommit": True},
            open=False,
        )
        issuer = Issuer(
            secret=config.jwt_secret, url=config.api_url + PREFIX, settings=self.settings
        )
        user = AuthRoutes(self.pool, issuer)
        admin = AdminRoutes(self.pool, issuer)
        mfa = MfaRoutes(self.pool, issuer)
        routes = [
            Route("/health", user.health, methods=["GET"]),
            Route("/settings", user.public_settings, methods=["GET"]),
            Route("/token", user.token, methods=["POST"]),
            Route("/user", user.get_user, methods=["GET"]),
            Route("/user", user.update_user, methods=["PUT"]),
            Route("/logout", user.logout, methods=["POST"]),
            Route("/otp", user.send_otp, methods=["POST"]),
            Route("/verify", user.verify, methods=["POST"]),
            Route("/factors", mfa.enroll, methods=["POST"]),
            Route("/factors/{factor_id}/challenge", mfa.challenge, methods=["POST"]),
            Route("/factors/{factor_id}/verify", mfa.verify, methods=["POST"]),
            Route("/factors/{factor_id}", mfa.unenroll, methods=["DELETE"]),
            Route("/admin/users", admin.list, methods=["GET"]),
            Route("/admin/users", admin.create, methods=["POST"]),
            Route("/admin/users/{user_id}", admin.get, methods=["GET"]),
            Route("/admin/users/{user_id}", admin.update, methods=["PUT"]),
            Route("/admin/users/{user_id}", admin.delete, methods=["DELETE"]),
        ]
        self.app: ASGIApp = Starlette(
            routes=routes,
            middleware=[
                Middleware(
                    CORSMiddleware,
                    allow_origins=["*"],
                    allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                    allow_headers=["*"],
                    expose_headers=EXPOSED_HEADERS,
                    max_age=3600,
                ),
                Middleware(RequireApiKey, keys=keys),
            ],
            exception_handlers={
                AuthApiError: api_error,
                404: routing_error,
                405: routing_error,
                Exception: unexpected_error,
            },
        )

    async def startup(self) -> None:
        await self.pool.open(wait=True)
        hook = self.settings.sms_hook
        log.info(
            "Auth ready; Send-SMS hook: %s",
            f"{hook.schema}.{hook.function}" if hook else "log only",
        )

    async def shutdown(self) -> None:
        await self.pool.close()
