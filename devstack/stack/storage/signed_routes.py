"""Signed URLs: `/object/sign/*` (read one object without a token until the URL expires) and
`/object/upload/sign/*` (upload one object later, for the user who asked)."""

from __future__ import annotations

from email.utils import formatdate
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.stack.storage.caller import Caller, caller_from_request
from devstack.stack.storage.downloads import serve_object
from devstack.stack.storage.errors import bad_request, no_such_key
from devstack.stack.storage.objects import STORAGE_ITSELF, storage_transaction, visible_object
from devstack.stack.storage.paths import must_be_valid_bucket_name
from devstack.stack.storage.requests import StorageDeps, expires_in, json_body, object_address
from devstack.stack.storage.signing import (
    sign_object_url,
    sign_upload_url,
    verify_signed_url,
    verify_upload_url,
)
from devstack.stack.storage.writes import ObjectWriter

NO_ACCESS = "Either the object does not exist or you do not have access to it"


class SignedRoutes:
    def __init__(self, deps: StorageDeps) -> None:
        self.deps = deps
        self.writer = ObjectWriter(deps)

    def routes(self) -> list[Route]:
        name = "{bucket}/{name:path}"
        return [
            Route(f"/object/upload/sign/{name}", self.sign_upload, methods=["POST"]),
            Route(f"/object/upload/sign/{name}", self.upload_signed, methods=["PUT"]),
            Route(f"/object/sign/{name}", self.sign, methods=["POST"]),
            Route("/object/sign/{bucket}", self.sign_many, methods=["POST"]),
            Route(f"/object/sign/{name}", self.download_signed, methods=["GET"]),
        ]

    def caller(self, request: Request) -> Caller:
        return caller_from_request(request, self.deps.jwt_secret)

    async def sign(self, request: Request) -> Response:
        """Signing needs read access: the caller must be able to see the object."""
        bucket_id, name = object_address(request)
        seconds = expires_in(await json_body(request))
        await visible_object(self.deps.pool, self.caller(request), bucket_id, name)
        signed = sign_object_url(self.deps.jwt_secret, bucket_id, name, seconds)
        return JSONResponse({"signedURL": signed})

    async def sign_many(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        body = await json_body(request)
        seconds = expires_in(body)
        paths = body.get("paths")
        if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
            raise bad_request("body must have required property 'paths'")
        async with storage_transaction(self.deps.pool, self.caller(request)) as db:
            await db.become_caller()
            visible = await db.visible_names(bucket_id, paths)
        return JSONResponse(
            [self._signed_entry(bucket_id, path, seconds, visible) for path in paths]
        )

    def _signed_entry(
        self, bucket_id: str, path: str, seconds: int, visible: set[str]
    ) -> dict[str, Any]:
        if path not in visible:
            return {"error": NO_ACCESS, "path": path, "signedURL": None}
        signed = sign_object_url(self.deps.jwt_secret, bucket_id, path, seconds)
        return {"error": None, "path": path, "signedURL": signed}

    async def download_signed(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        expires_at = verify_signed_url(self.deps.jwt_secret, _token(request), bucket_id, name)
        async with storage_transaction(self.deps.pool, STORAGE_ITSELF) as db:
            row = await db.find_object(bucket_id, name)
        if row is None:
            raise no_such_key()
        expires = formatdate(expires_at, usegmt=True)
        return serve_object(request, self.deps.store, row, expires=expires)

    async def sign_upload(self, request: Request) -> Response:
        """A URL that lets its holder upload this one object later, checked against RLS now."""
        bucket_id, name = object_address(request)
        caller = self.caller(request)
        upsert = request.headers.get("x-upsert") == "true"
        async with storage_transaction(self.deps.pool, caller) as db:
            await db.become_caller()
            await db.can_write(bucket_id, name, upsert=upsert)
        url, token = sign_upload_url(self.deps.jwt_secret, bucket_id, name, caller.owner_id, upsert)
        return JSONResponse({"url": url, "token": token})

    async def upload_signed(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        grant = verify_upload_url(self.deps.jwt_secret, _token(request), bucket_id, name)
        # As Storage does, the write happens as Storage itself, for the owner the URL names.
        claims: dict[str, Any] = {"role": "service_role"}
        if grant.owner:
            claims["sub"] = grant.owner
        uploader = Caller(role="service_role", claims=claims)
        await self.writer.store(
            request, uploader, bucket_id, name, upsert=grant.upsert, as_caller=False
        )
        return JSONResponse({"Key": f"{bucket_id}/{name}"})


def _token(request: Request) -> str:
    token = request.query_params.get("token")
    if token is None:
        raise bad_request("querystring must have required property 'token'")
    return token
