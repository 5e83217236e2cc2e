"""MMS media in the private `message-media` bucket.

Inbound: Twilio's media URLs need the account's basic auth and stop working once the media is
deleted, so the webhook server copies each picture into Storage and records the copies' keys
(`public.record_inbound_media`); staff only ever see signed URLs of the copies. Outbound: the
reply box uploads an image and names it by its key; right before the provider call the worker
swaps each key for a short-lived signed URL Twilio can fetch.

Both talk to Storage and PostgREST over HTTP as service_role, whichever outbox transport runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, replace
from typing import Protocol
from urllib.parse import quote

import aiohttp

from workers.ports import OutboundMessage, ProviderThrottled, SentLookup, SmsSender

log = logging.getLogger(__name__)

MEDIA_BUCKET = "message-media"
KEY_PREFIX = f"{MEDIA_BUCKET}/"
# Twilio's MMS limit; the bucket refuses more anyway.
MAX_MEDIA_BYTES = 5 * 1024 * 1024
# Twilio fetches outbound media when it sends, within seconds; an hour covers its queue.
SIGNED_URL_SECONDS = 3600
_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "audio/mpeg": "mp3",
    "application/pdf": "pdf",
    "text/vcard": "vcf",
    "text/x-vcard": "vcf",
}


class MediaCopyFailed(Exception):
    """A provider's media could not be fetched or stored; the sweep tries again."""


def is_media_key(reference: str) -> bool:
    """A key in the private bucket (what staff see and the reply box attaches), not a URL."""
    return reference.startswith(KEY_PREFIX)


def inbound_key(message_id: str, index: int, content_type: str) -> str:
    extension = _EXTENSIONS.get(content_type.split(";", 1)[0].strip().lower(), "bin")
    return f"{KEY_PREFIX}inbound/{message_id}/{index}.{extension}"


@dataclass(frozen=True)
class ServiceEndpoints:
    """Where Storage and PostgREST answer, and the service-role key both take."""

    supabase_url: str
    service_role_key: str

    def headers(self) -> dict[str, str]:
        return {"apikey": self.service_role_key, "Authorization": f"Bearer {self.service_role_key}"}

    def storage(self, path: str) -> str:
        return f"{self.supabase_url.rstrip('/')}/storage/v1{path}"

    def rpc(self, name: str) -> str:
        return f"{self.supabase_url.rstrip('/')}/rest/v1/rpc/{name}"


class MediaStorage:
    """The bucket through the Storage API (upload, sign) and the two SQL calls about media."""

    def __init__(self, http: aiohttp.ClientSession, endpoints: ServiceEndpoints) -> None:
        self.http = http
        self.endpoints = endpoints

    def _object_path(self, key: str) -> str:
        return quote(key.removeprefix(KEY_PREFIX), safe="/")

    async def upload(self, key: str, content: bytes, content_type: str) -> None:
        url = self.endpoints.storage(f"/object/{MEDIA_BUCKET}/{self._object_path(key)}")
        headers = {**self.endpoints.headers(), "content-type": content_type, "x-upsert": "true"}
        async with self.http.post(url, data=content, headers=headers) as response:
            if response.status >= 300:
                detail = await response.text()
                raise MediaCopyFailed(f"Storage refused {key}: {response.status} {detail}")

    async def sign(self, key: str, expires_in: int = SIGNED_URL_SECONDS) -> str:
        url = self.endpoints.storage(f"/object/sign/{MEDIA_BUCKET}/{self._object_path(key)}")
        async with self.http.post(
            url, json={"expiresIn": expires_in}, headers=self.endpoints.headers()
        ) as response:
            response.raise_for_status()
            signed = str((await response.json())["signedURL"])
        return self.endpoints.storage(signed)

    async def record_inbound(self, message_id: str, keys: list[str]) -> None:
        async with self.http.post(
            self.endpoints.rpc("record_inbound_media"),
            json={"p_message_id": message_id, "p_keys": keys},
            headers=self.endpoints.headers(),
        ) as response:
            if response.status >= 300:
                detail = await response.text()
                raise MediaCopyFailed(f"record_inbound_media: {response.status} {detail}")

    async def list_to_copy(
        self, older_than_seconds: int, limit: int
    ) -> list[tuple[str, list[str]]]:
        async with self.http.post(
            self.endpoints.rpc("list_inbound_media_to_copy"),
            json={"p_older_than_seconds": older_than_seconds, "p_limit": limit},
            headers=self.endpoints.headers(),
        ) as response:
            response.raise_for_status()
            rows = await response.json()
        return [(str(row["message_id"]), [str(url) for url in row["media_urls"]]) for row in rows]


class InboundMediaCopier:
    """Copies an inbound MMS's media from the provider into the bucket, then records the keys."""

    def __init__(
        self, http: aiohttp.ClientSession, storage: MediaStorage, account_sid: str, auth_token: str
    ) -> None:
        self.http = http
        self.storage = storage
        self.auth = aiohttp.BasicAuth(account_sid, auth_token)

    async def copy(self, message_id: str, provider_urls: list[str]) -> list[str]:
        keys = [
            await self._copy_one(message_id, index, url) for index, url in enumerate(provider_urls)
        ]
        await self.storage.record_inbound(message_id, keys)
        return keys

    async def _copy_one(self, message_id: str, index: int, url: str) -> str:
        if is_media_key(url):
            return url  # copied by an earlier attempt that died before recording all of them
        # Twilio answers a media URL with a redirect to its CDN; aiohttp drops the credentials
        # when the redirect leaves the host, as it must.
        async with self.http.get(url, auth=self.auth) as response:
            if response.status != 200:
                raise MediaCopyFailed(f"{url} answered {response.status}")
            content_type = response.content_type or "application/octet-stream"
            content = await response.content.read(MAX_MEDIA_BYTES + 1)
        if len(content) > MAX_MEDIA_BYTES:
            raise MediaCopyFailed(f"{url} is larger than {MAX_MEDIA_BYTES} bytes")
        key = inbound_key(message_id, index, content_type)
        await self.storage.upload(key, content, content_type)
        return key

    async def sweep(self, every_seconds: float, stop: asyncio.Event) -> None:
        """Copy what an earlier attempt left behind (a provider hiccup, a dead server)."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every_seconds)
            if stop.is_set():
                return
            try:
                pending = await self.storage.list_to_copy(int(every_seconds), 50)
            except aiohttp.ClientError:
                log.exception("listing inbound media to copy failed; the next sweep tries again")
                continue
            for message_id, urls in pending:
                try:
                    await self.copy(message_id, urls)
                except (MediaCopyFailed, aiohttp.ClientError):
                    log.exception("copying inbound media failed", extra={"message_id": message_id})


class MediaSigner(Protocol):
    async def sign(self, key: str, expires_in: int = SIGNED_URL_SECONDS) -> str:
        """A URL anyone holding it may fetch the object at, until it expires."""


class SignedMediaSmsSender:
    """An SmsSender that hands Twilio signed URLs for the bucket keys a message attaches."""

    def __init__(self, inner: SmsSender, storage: MediaSigner) -> None:
        self.inner = inner
        self.storage = storage

    async def send(self, message: OutboundMessage, status_callback: str) -> tuple[str, str]:
        if any(is_media_key(reference) for reference in message.media_urls):
            try:
                urls = [
                    await self.storage.sign(reference) if is_media_key(reference) else reference
                    for reference in message.media_urls
                ]
            except (aiohttp.ClientError, KeyError) as error:
                # Twilio was never asked: retried with the throttle backoff, then requeued.
                raise ProviderThrottled(None, f"signing media failed: {error}") from error
            message = replace(message, media_urls=tuple(urls))
        return await self.inner.send(message, status_callback)

    async def find_sent(self, lookup: SentLookup) -> list[str]:
        return await self.inner.find_sent(lookup)
