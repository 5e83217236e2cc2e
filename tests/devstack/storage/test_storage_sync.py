"""Storage through supabase-py's sync client: every endpoint, allowed and denied, checked as RLS."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import jwt
import psycopg
import pytest
from storage3.exceptions import StorageApiError
from supabase import Client

from devstack.stack.manager import LocalStack
from tests.devstack.storage.conftest import (
    ATTACHMENTS,
    AVATARS,
    LIMITED,
    PRIVATE,
    SERVICE_ONLY,
    User,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def storage_files(stack: LocalStack) -> list[Path]:
    """Every file the Storage service keeps on disk (staging included)."""
    root = stack.config.state_dir / "storage"
    return sorted(path for path in root.rglob("*") if path.is_file())


def object_row(
    db: psycopg.Connection[tuple[object, ...]], bucket: str, name: str
) -> tuple[object, ...] | None:
    return db.execute(
        "select owner::text, version, metadata from storage.objects"
        " where bucket_id = %s and name = %s",
        (bucket, name),
    ).fetchone()


def refused(call: Callable[[], object]) -> StorageApiError:
    with pytest.raises(StorageApiError) as error:
        call()
    return error.value


def test_user_uploads_and_downloads_in_own_folder(
    make_client: Callable[..., Client],
    make_user: Callable[..., User],
    db: psycopg.Connection[tuple[object, ...]],
) -> None:
    alice = make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    uploaded = bucket.upload(
        alice.key("notes.txt"), b"hello storage", {"content-type": "text/plain"}
    )
    assert uploaded.full_path == f"{PRIVATE}/{alice.key('notes.txt')}"
    assert bucket.download(alice.key("notes.txt")) == b"hello storage"
    row = object_row(db, PRIVATE, alice.key("notes.txt"))
    assert row is not None
    owner, version, metadata = row
    assert owner == alice.id
    assert version
    assert metadata == {
        "eTag": f'"{hashlib.md5(b"hello storage").hexdigest()}"',
        "size": 13,
        "mimetype": "text/plain",
        "cacheControl": "max-age=3600",
        "lastModified": metadata["lastModified"],  # type: ignore[index]
        "contentLength": 13,
        "httpStatusCode": 200,
    }


def test_download_headers(
    stack: LocalStack, make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice = make_user()
    client = make_client(access_token=alice.token)
    client.storage.from_(PRIVATE).upload(
        alice.key("page.txt"), b"abc", {"content-type": "text/plain", "cache-control": "60"}
    )
    response = httpx.get(
        f"{stack.config.api_url}/storage/v1/object/authenticated/{PRIVATE}/{alice.key('page.txt')}",
        headers={"Authorization": f"Bearer {alice.token}"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["content-length"] == "3"
    etag = response.headers["etag"]
    again = httpx.get(
        response.request.url,
        headers={"Authorization": f"Bearer {alice.token}", "If-None-Match": etag},
    )
    assert again.status_code == 304


def test_upload_outside_own_folder_is_refused_and_leaves_nothing(
    stack: LocalStack,
    make_client: Callable[..., Client],
    make_user: Callable[..., User],
    db: psycopg.Connection[tuple[object, ...]],
) -> None:
    alice, bob = make_user(), make_user()
    before = storage_files(stack)
    error = refused(
        lambda: (
            make_client(access_token=alice.token)
            .storage.from_(PRIVATE)
            .upload(bob.key("x.txt"), b"forged")
        )
    )
    assert (error.status, error.code, error.message) == (
        "403",
        "Unauthorized",
        "new row violates row-level security policy",
    )
    assert object_row(db, PRIVATE, bob.key("x.txt")) is None
    assert storage_files(stack) == before


def test_anon_cannot_upload(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice = make_user()
    error = refused(
        lambda: make_client().storage.from_(PRIVATE).upload(alice.key("x.txt"), b"anon")
    )
    assert error.status == "403"


def test_private_object_is_invisible_to_others(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice, bob = make_user(), make_user()
    make_client(access_token=alice.token).storage.from_(PRIVATE).upload(
        alice.key("secret.txt"), b"s"
    )
    for client in (make_client(access_token=bob.token), make_client()):
        files = client.storage.from_(PRIVATE)
        error = refused(lambda files=files: files.download(alice.key("secret.txt")))  # type: ignore[misc]
        assert (error.status, error.code, error.message) == ("404", "not_found", "Object not found")
        assert client.storage.from_(PRIVATE).exists(alice.key("secret.txt")) is False
    # The service role bypasses RLS, as on Supabase.
    assert (
        make_client("service_role").storage.from_(PRIVATE).download(alice.key("secret.txt")) == b"s"
    )


def test_service_only_bucket_needs_the_service_role(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice = make_user()
    assert (
        refused(
            lambda: (
                make_client(access_token=alice.token)
                .storage.from_(SERVICE_ONLY)
                .upload("a.txt", b"x")
            )
        ).status
        == "403"
    )
    service = make_client("service_role").storage.from_(SERVICE_ONLY)
    service.upload("a.txt", b"x", {"upsert": "true"})
    assert service.download("a.txt") == b"x"


def test_duplicate_is_409_and_upsert_replaces(
    stack: LocalStack,
    make_client: Callable[..., Client],
    make_user: Callable[..., User],
    db: psycopg.Connection[tuple[object, ...]],
) -> None:
    alice = make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    bucket.upload(alice.key("v.txt"), b"one")
    first = object_row(db, PRIVATE, alice.key("v.txt"))
    error = refused(lambda: bucket.upload(alice.key("v.txt"), b"two"))
    assert (error.status, error.code, error.message) == (
        "409",
        "Duplicate",
        "The resource already exists",
    )
    assert bucket.download(alice.key("v.txt")) == b"one"
    bucket.upload(alice.key("v.txt"), b"two", {"upsert": "true"})
    assert bucket.download(alice.key("v.txt")) == b"two"
    bucket.update(alice.key("v.txt"), b"three")
    assert bucket.download(alice.key("v.txt")) == b"three"
    assert first is not None
    old_version = first[1]
    assert not (stack.config.state_dir / "storage" / PRIVATE / str(old_version)).exists()


def test_public_url_only_for_public_buckets(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice = make_user()
    client = make_client(access_token=alice.token)
    client.storage.from_(AVATARS).upload(alice.key("me.png"), PNG, {"content-type": "image/png"})
    url = client.storage.from_(AVATARS).get_public_url(alice.key("me.png"))
    response = httpx.get(url)  # no apikey, no token: public means public
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"

    client.storage.from_(PRIVATE).upload(alice.key("hidden.txt"), b"h")
    private_url = client.storage.from_(PRIVATE).get_public_url(alice.key("hidden.txt"))
    denied = httpx.get(private_url)
    assert denied.status_code == 400
    assert denied.json() == {
        "statusCode": "404",
        "code": "NoSuchBucket",
        "error": "Bucket not found",
        "message": "Bucket not found",
    }


def test_signed_urls_expire_and_resist_tampering(
    stack: LocalStack, make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice, bob = make_user(), make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    bucket.upload(alice.key("a.txt"), b"signed a")
    bucket.upload(alice.key("b.txt"), b"signed b")
    signed = bucket.create_signed_url(alice.key("a.txt"), 60)["signedURL"]
    assert signed is not None
    assert httpx.get(signed).content == b"signed a"

    token = signed.split("token=")[1]
    _header, _payload, signature = token.split(".")
    altered = signed.replace(signature, signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"))
    assert httpx.get(altered).json() == {
        "statusCode": "400",
        "code": "InvalidJWT",
        "error": "InvalidJWT",
        "message": "invalid signature",
    }
    other_object = signed.replace(alice.key("a.txt"), alice.key("b.txt"))
    assert httpx.get(other_object).json()["message"] == "Invalid signature"

    now = int(time.time())
    expired_token = jwt.encode(
        {"url": f"{PRIVATE}/{alice.key('a.txt')}", "iat": now - 120, "exp": now - 60},
        stack.config.jwt_secret,
    )
    expired = httpx.get(signed.split("token=")[0] + "token=" + expired_token)
    assert expired.status_code == 400
    assert expired.json()["message"] == "jwt expired"

    # Signing needs read access: bob cannot mint a URL for alice's file.
    error = refused(
        lambda: (
            make_client(access_token=bob.token)
            .storage.from_(PRIVATE)
            .create_signed_url(alice.key("a.txt"), 60)
        )
    )
    assert error.status == "404"

    many = bucket.create_signed_urls([alice.key("a.txt"), bob.key("none.txt")], 60)
    assert httpx.get(str(many[0]["signedURL"])).content == b"signed a"
    assert many[1]["signedURL"] is None
    assert many[1]["error"] == "Either the object does not exist or you do not have access to it"


def test_size_and_mime_limits(
    stack: LocalStack,
    make_client: Callable[..., Client],
    make_user: Callable[..., User],
) -> None:
    alice = make_user()
    client = make_client(access_token=alice.token)
    before = storage_files(stack)
    too_large = refused(
        lambda: client.storage.from_(LIMITED).upload(
            alice.key("big.txt"), b"x" * 17, {"content-type": "text/plain"}
        )
    )
    assert (too_large.status, too_large.code, too_large.message) == (
        "413",
        "Payload too large",
        "The object exceeded the maximum allowed size",
    )
    wrong_type = refused(
        lambda: client.storage.from_(LIMITED).upload(
            alice.key("x.png"), PNG[:8], {"content-type": "image/png"}
        )
    )
    assert (wrong_type.status, wrong_type.code, wrong_type.message) == (
        "415",
        "invalid_mime_type",
        "mime type image/png is not supported",
    )
    not_an_image = refused(
        lambda: client.storage.from_(AVATARS).upload(
            alice.key("x.txt"), b"text", {"content-type": "text/plain"}
        )
    )
    assert not_an_image.status == "415"
    assert storage_files(stack) == before
    client.storage.from_(LIMITED).upload(
        alice.key("ok.txt"), b"x" * 16, {"content-type": "text/plain"}
    )
    client.storage.from_(AVATARS).upload(
        alice.key("ok.jpg"), b"jpeg", {"content-type": "image/jpeg"}
    )


def test_list_with_prefix_limit_offset_sort_and_search(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice, bob = make_user(), make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    for name in ("b.txt", "a.txt", "c.txt", "photos/1.txt", "photos/2.txt", "Apple.txt"):
        bucket.upload(alice.key(name), name.encode())
    make_client(access_token=bob.token).storage.from_(PRIVATE).upload(bob.key("bob.txt"), b"b")

    entries = bucket.list(alice.id)
    assert [entry["name"] for entry in entries] == [
        "a.txt",
        "Apple.txt",
        "b.txt",
        "c.txt",
        "photos",
    ]
    folder = entries[-1]
    assert folder["id"] is None
    assert folder["metadata"] is None
    assert entries[0]["id"]
    assert entries[0]["metadata"]["size"] == 5

    page = bucket.list(
        alice.id, {"limit": 2, "offset": 1, "sortBy": {"column": "name", "order": "desc"}}
    )
    assert [entry["name"] for entry in page] == ["c.txt", "b.txt"]
    assert [entry["name"] for entry in bucket.list(alice.id, {"search": "a"})] == [
        "a.txt",
        "Apple.txt",
    ]
    assert [entry["name"] for entry in bucket.list(f"{alice.id}/photos")] == ["1.txt", "2.txt"]
    by_time = bucket.list(alice.id, {"sortBy": {"column": "created_at", "order": "desc"}})
    assert [entry["name"] for entry in by_time] == [
        "photos",
        "Apple.txt",
        "c.txt",
        "a.txt",
        "b.txt",
    ]

    # Bob sees only his own folder; the bucket root shows him one folder, his.
    bob_bucket = make_client(access_token=bob.token).storage.from_(PRIVATE)
    assert bob_bucket.list(alice.id) == []
    assert [entry["name"] for entry in bob_bucket.list()] == [bob.id]


def test_remove_only_what_rls_allows(
    stack: LocalStack,
    make_client: Callable[..., Client],
    make_user: Callable[..., User],
    db: psycopg.Connection[tuple[object, ...]],
) -> None:
    alice, bob = make_user(), make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    bucket.upload(alice.key("1.txt"), b"1")
    bucket.upload(alice.key("2.txt"), b"2")
    row = object_row(db, PRIVATE, alice.key("1.txt"))
    assert row is not None
    path = stack.config.state_dir / "storage" / PRIVATE / str(row[1])
    assert path.is_file()

    assert (
        make_client(access_token=bob.token).storage.from_(PRIVATE).remove([alice.key("1.txt")])
        == []
    )
    assert path.is_file()

    removed = bucket.remove([alice.key("1.txt"), alice.key("missing.txt")])
    assert [entry["name"] for entry in removed] == [alice.key("1.txt")]
    assert not path.exists()
    assert object_row(db, PRIVATE, alice.key("1.txt")) is None
    assert object_row(db, PRIVATE, alice.key("2.txt")) is not None


def test_move_and_copy(make_client: Callable[..., Client], make_user: Callable[..., User]) -> None:
    alice, bob = make_user(), make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    bucket.upload(alice.key("from.txt"), b"moving", {"content-type": "text/plain"})
    moved = bucket.move(alice.key("from.txt"), alice.key("sub/to.txt"))
    assert moved["message"] == "Successfully moved"
    assert bucket.download(alice.key("sub/to.txt")) == b"moving"
    assert not bucket.exists(alice.key("from.txt"))

    copied = bucket.copy(alice.key("sub/to.txt"), alice.key("copy.txt"))
    assert copied["Key"] == f"{PRIVATE}/{alice.key('copy.txt')}"
    assert bucket.download(alice.key("copy.txt")) == b"moving"
    assert bucket.download(alice.key("sub/to.txt")) == b"moving"
    assert bucket.info(alice.key("copy.txt"))["content_type"] == "text/plain"

    # Neither may put a file into bob's folder, and bob may not move alice's file.
    assert (
        refused(lambda: bucket.move(alice.key("copy.txt"), bob.key("stolen.txt"))).status == "403"
    )
    assert (
        refused(lambda: bucket.copy(alice.key("copy.txt"), bob.key("stolen.txt"))).status == "403"
    )
    bob_bucket = make_client(access_token=bob.token).storage.from_(PRIVATE)
    assert (
        refused(lambda: bob_bucket.move(alice.key("copy.txt"), bob.key("mine.txt"))).status == "404"
    )
    assert (
        refused(lambda: bucket.copy(alice.key("copy.txt"), alice.key("sub/to.txt"))).status == "409"
    )


def test_info(make_client: Callable[..., Client], make_user: Callable[..., User]) -> None:
    alice = make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    bucket.upload(
        alice.key("i.txt"), b"info!", {"content-type": "text/plain", "metadata": {"kind": "note"}}
    )
    info = bucket.info(alice.key("i.txt"))
    assert (info["name"], info["size"], info["content_type"], info["metadata"]) == (
        alice.key("i.txt"),
        5,
        "text/plain",
        {"kind": "note"},
    )
    assert bucket.exists(alice.key("i.txt"))


def test_claim_based_policy_like_attachments(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    organizer = make_user(app_metadata={"staff_level": "organizer"})
    volunteer = make_user(app_metadata={"staff_level": "volunteer"})
    make_client(access_token=organizer.token).storage.from_(ATTACHMENTS).upload(
        "event-1/plan.pdf", b"%PDF"
    )
    assert (
        make_client(access_token=organizer.token)
        .storage.from_(ATTACHMENTS)
        .download("event-1/plan.pdf")
        == b"%PDF"
    )
    volunteer_bucket = make_client(access_token=volunteer.token).storage.from_(ATTACHMENTS)
    assert refused(lambda: volunteer_bucket.download("event-1/plan.pdf")).status == "404"
    assert refused(lambda: volunteer_bucket.upload("event-1/x.pdf", b"%PDF")).status == "403"


def test_bad_tokens_and_keys_are_refused(stack: LocalStack, make_user: Callable[..., User]) -> None:
    alice = make_user()
    url = f"{stack.config.api_url}/storage/v1/object/{PRIVATE}/{alice.key('a.txt')}"
    forged = jwt.encode(
        {"sub": alice.id, "role": "authenticated"}, "not-the-project-secret-but-long-enough"
    )
    for token, message in ((forged, "invalid signature"), ("garbage", "jwt malformed")):
        response = httpx.get(url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 400
        assert response.json() == {
            "statusCode": "403",
            "code": "AccessDenied",
            "error": "Unauthorized",
            "message": message,
        }
    superuser = jwt.encode({"sub": alice.id, "role": "postgres"}, stack.config.jwt_secret)
    response = httpx.get(url, headers={"Authorization": f"Bearer {superuser}"})
    assert response.json()["statusCode"] == "403"


@pytest.mark.parametrize("key", ["%2E%2E/etc/passwd", "a/%2E/b", "a%2F%2Fb", "back%5Cslash"])
def test_unsafe_keys_are_refused(
    stack: LocalStack, make_user: Callable[..., User], key: str
) -> None:
    alice = make_user()
    response = httpx.post(
        f"{stack.config.api_url}/storage/v1/object/{PRIVATE}/{alice.id}/{key}",
        headers={"Authorization": f"Bearer {alice.token}", "Content-Type": "text/plain"},
        content=b"x",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidKey"


def test_bucket_api_for_the_service_role(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    storage = make_client("service_role").storage
    storage.create_bucket(
        "st-made",
        # Storage also takes a size with a unit; storage3's type hint says int only.
        options={"public": False, "file_size_limit": "1MB", "allowed_mime_types": ["image/*"]},  # type: ignore[arg-type]
    )
    bucket = storage.get_bucket("st-made")
    assert (bucket.public, bucket.file_size_limit, bucket.allowed_mime_types, bucket.owner) == (
        False,
        1000000,
        ["image/*"],
        "",
    )
    assert "st-made" in [b.id for b in storage.list_buckets()]
    too_large = refused(
        lambda: storage.create_bucket("st-huge", options={"file_size_limit": 10**12})
    )
    assert (too_large.status, too_large.code) == ("413", "Payload too large")
    duplicate = refused(lambda: storage.create_bucket("st-made"))
    assert (duplicate.status, duplicate.code) == ("409", "Duplicate")
    storage.update_bucket(
        "st-made", {"public": True, "file_size_limit": 2048, "allowed_mime_types": ["image/png"]}
    )
    assert storage.get_bucket("st-made").public is True
    storage.from_("st-made").upload("x.png", PNG, {"content-type": "image/png"})
    not_empty = refused(lambda: storage.delete_bucket("st-made"))
    assert (not_empty.status, not_empty.message) == (
        "409",
        "The bucket you tried to delete is not empty",
    )
    assert storage.empty_bucket("st-made") == {"message": "Successfully emptied"}
    assert storage.delete_bucket("st-made") == {"message": "Successfully deleted"}
    missing = refused(lambda: storage.get_bucket("st-made"))
    assert (missing.status, missing.message) == ("404", "Bucket not found")

    # Without policies on storage.buckets, users and anon neither see nor create buckets.
    alice = make_user()
    user_storage = make_client(access_token=alice.token).storage
    assert user_storage.list_buckets() == []
    denied = refused(lambda: user_storage.create_bucket("st-user-made"))
    assert (denied.status, denied.message) == ("403", "new row violates row-level security policy")
    assert refused(lambda: make_client().storage.get_bucket(PRIVATE)).status == "404"


def test_cors_and_unknown_routes(stack: LocalStack) -> None:
    base = f"{stack.config.api_url}/storage/v1"
    preflight = httpx.options(
        f"{base}/object/{PRIVATE}/a.txt",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, apikey, x-upsert, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    unknown = httpx.get(f"{base}/nothing-here")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "Not Found"


def test_signed_upload_urls(
    stack: LocalStack,
    make_client: Callable[..., Client],
    make_user: Callable[..., User],
    db: psycopg.Connection[tuple[object, ...]],
) -> None:
    alice, bob = make_user(), make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    grant = bucket.create_signed_upload_url(alice.key("later.txt"))
    # Anyone holding the URL may upload, once, for alice (an anonymous client here).
    anon_bucket = make_client().storage.from_(PRIVATE)
    anon_bucket.upload_to_signed_url(alice.key("later.txt"), grant["token"], b"via signed url")
    assert bucket.download(alice.key("later.txt")) == b"via signed url"
    row = object_row(db, PRIVATE, alice.key("later.txt"))
    assert row is not None
    assert row[0] == alice.id
    again = refused(
        lambda: anon_bucket.upload_to_signed_url(alice.key("later.txt"), grant["token"], b"x")
    )
    assert again.status == "409"

    # RLS is checked when the URL is made: bob gets none for alice's folder.
    assert (
        refused(
            lambda: (
                make_client(access_token=bob.token)
                .storage.from_(PRIVATE)
                .create_signed_upload_url(alice.key("bob.txt"))
            )
        ).status
        == "403"
    )
    # The token opens only its own path, and a download token is no upload token.
    assert (
        refused(
            lambda: anon_bucket.upload_to_signed_url(alice.key("other.txt"), grant["token"], b"x")
        ).message
        == "Invalid signature"
    )
    download = bucket.create_signed_url(alice.key("later.txt"), 60)["signedURL"]
    assert download is not None
    download_token = download.split("token=")[1]
    assert (
        refused(
            lambda: anon_bucket.upload_to_signed_url(alice.key("later.txt"), download_token, b"x")
        ).message
        == "Invalid signature"
    )
    upload_as_download = httpx.get(download.split("token=")[0] + "token=" + grant["token"])
    assert upload_as_download.json()["message"] == "Invalid signature"


def test_rows_without_bytes_never_reach_outside_the_store(
    make_client: Callable[..., Client], db: psycopg.Connection[tuple[object, ...]]
) -> None:
    """A row written by other means (here SQL) with a hostile version has no bytes to serve."""
    db.execute(
        "insert into storage.objects (bucket_id, name, version) values (%s, 'sql-row.txt', %s)",
        (SERVICE_ONLY, "../../../../etc/passwd"),
    )
    service = make_client("service_role").storage.from_(SERVICE_ONLY)
    assert refused(lambda: service.download("sql-row.txt")).message == "Object not found"
    assert refused(lambda: service.copy("sql-row.txt", "copied.txt")).message == "Object not found"
    assert [row["name"] for row in service.remove(["sql-row.txt"])] == ["sql-row.txt"]


def test_download_as_attachment(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    alice = make_user()
    bucket = make_client(access_token=alice.token).storage.from_(PRIVATE)
    bucket.upload(alice.key("report.txt"), b"r", {"content-type": "text/plain"})
    named = bucket.create_signed_url(alice.key("report.txt"), 60, {"download": "my report.txt"})
    response = httpx.get(str(named["signedURL"]))
    assert response.headers["content-disposition"] == (
        "attachment; filename=my%20report.txt; filename*=UTF-8''my%20report.txt;"
    )
    assert "expires" in response.headers
    plain = bucket.create_signed_url(alice.key("report.txt"), 60, {"download": True})
    assert httpx.get(str(plain["signedURL"])).headers["content-disposition"] == "attachment;"


def test_oversized_multipart_is_refused_before_it_is_read(
    stack: LocalStack, make_user: Callable[..., User]
) -> None:
    alice = make_user()
    before = storage_files(stack)
    response = httpx.post(
        f"{stack.config.api_url}/storage/v1/object/{LIMITED}/{alice.key('huge.txt')}",
        headers={"Authorization": f"Bearer {alice.token}"},
        files={"file": ("huge.txt", b"x" * 1_200_000, "text/plain")},
    )
    assert response.status_code == 400
    assert response.json()["statusCode"] == "413"
    assert storage_files(stack) == before
