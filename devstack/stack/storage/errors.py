"""Supabase Storage's error answers.

Storage answers every client error with HTTP 400 (server errors with 500) and carries the status
that matters as a string in the body: `{"statusCode": "404", "code": "NoSuchKey",
"error": "not_found", "message": "Object not found"}`. storage3 and storage-js read the body, so
the shapes below are the contract, taken from supabase/storage `src/internal/errors/codes.ts`.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import psycopg
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger("hm.storage")


class StorageError(Exception):
    """An error Storage reports to the client, rendered as Supabase renders it."""

    def __init__(
        self, status: int, code: str | None, message: str, error: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.error = error or code or "Error"

    def response(self) -> JSONResponse:
        body: dict[str, str] = {"statusCode": str(self.status)}
        if self.code is not None:
            body["code"] = self.code
        body["error"] = self.error
        body["message"] = self.message
        return JSONResponse(body, status_code=500 if self.status >= 500 else 400)


def no_such_bucket() -> StorageError:
    return StorageError(404, "NoSuchBucket", "Bucket not found", "Bucket not found")


def no_such_key() -> StorageError:
    return StorageError(404, "NoSuchKey", "Object not found", "not_found")


def access_denied(message: str) -> StorageError:
    return StorageError(403, "AccessDenied", message, "Unauthorized")


def already_exists() -> StorageError:
    return StorageError(409, "ResourceAlreadyExists", "The resource already exists", "Duplicate")


def bucket_not_empty() -> StorageError:
    return StorageError(409, "ResourceNotEmpty", "The bucket you tried to delete is not empty")


def invalid_key(key: str) -> StorageError:
    return StorageError(400, "InvalidKey", f"Invalid key: {key}")


def invalid_bucket_name() -> StorageError:
    return StorageError(400, "InvalidBucketName", "Bucket name invalid", "Invalid Input")


def invalid_jwt(message: str) -> StorageError:
    return StorageError(400, "InvalidJWT", message)


def invalid_signature() -> StorageError:
    return StorageError(400, "InvalidSignature", "Invalid signature")


def entity_too_large() -> StorageError:
    return StorageError(
        413,
        "EntityTooLarge",
        "The object exceeded the maximum allowed size",
        "Payload too large",
    )


def invalid_mime_type(mimetype: str) -> StorageError:
    return StorageError(
        415, "InvalidMimeType", f"mime type {mimetype} is not supported", "invalid_mime_type"
    )


def invalid_file_size_limit() -> StorageError:
    return StorageError(
        400,
        "InvalidRequest",
        "Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B",
    )


def no_content() -> StorageError:
    return StorageError(400, "InvalidRequest", "No content provided")


def bad_request(message: str) -> StorageError:
    """A request that fails schema validation, answered as Storage's web framework does."""
    return StorageError(400, None, message, "Bad Request")


def from_database_error(error: psycopg.Error) -> StorageError:
    """Storage's mapping of Postgres errors (supabase/storage `src/storage/database/errors.ts`)."""
    message = str(error.diag.message_primary or error)
    match error.sqlstate:
        case "42501":
            if "row-level security" in message:
                return access_denied("new row violates row-level security policy")
            return access_denied(message)
        case "23505":
            return already_exists()
        case "23503":
            return StorageError(404, "InvalidRequest", "The related resource does not exist")
        case _:
            return StorageError(
                500, "DatabaseError", f"database error, code: {error.sqlstate}", "DatabaseError"
            )


async def render_storage_error(request: Request, error: Exception) -> Response:
    del request
    assert isinstance(error, StorageError)
    return error.response()


async def render_database_error(request: Request, error: Exception) -> Response:
    del request
    assert isinstance(error, psycopg.Error)
    storage_error = from_database_error(error)
    if storage_error.status >= 500:
        log.error("storage query failed: %s", error, exc_info=error)
    return storage_error.response()


async def render_http_error(request: Request, error: Exception) -> Response:
    """Routing and body-parsing errors (unknown route, unreadable multipart) in the JSON shape of
    Storage's web framework, which keeps the status as the HTTP status."""
    assert isinstance(error, HTTPException)
    message = error.detail
    if error.status_code == 404:
        message = f"Route {request.method}:{request.url.path} not found"
    return JSONResponse(
        {
            "statusCode": str(error.status_code),
            "error": HTTPStatus(error.status_code).phrase,
            "message": message,
        },
        status_code=error.status_code,
        headers=error.headers,
    )
