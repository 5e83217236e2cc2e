"""Object-key and bucket-name validation (Hypothesis), MIME matching, and folder listing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devstack.stack.storage.errors import StorageError
from devstack.stack.storage.limits import parse_file_size, project_file_size_limit
from devstack.stack.storage.listing import ListRequest, folder_level
from devstack.stack.storage.paths import (
    MAX_KEY_BYTES,
    MAX_SEGMENT_BYTES,
    is_valid_bucket_name,
    is_valid_key,
    must_be_valid_key,
)
from devstack.stack.storage.uploads import check_mime_type

SAFE_CHARACTERS = st.sampled_from("abcXYZ019_-!.*'() &$@=;:+,?éü")
SEGMENT = st.text(SAFE_CHARACTERS, min_size=1, max_size=20).filter(lambda s: s not in {".", ".."})


@given(st.lists(SEGMENT, min_size=1, max_size=8))
def test_well_formed_keys_are_accepted(segments: list[str]) -> None:
    assert is_valid_key("/".join(segments))


@given(st.lists(SEGMENT, min_size=0, max_size=4), st.lists(SEGMENT, min_size=0, max_size=4))
def test_dot_segments_are_refused_anywhere(before: list[str], after: list[str]) -> None:
    for dots in (".", ".."):
        assert not is_valid_key("/".join([*before, dots, *after]))


@given(st.lists(SEGMENT, min_size=1, max_size=4), st.integers(0, 3))
def test_empty_segments_are_refused(segments: list[str], position: int) -> None:
    with_gap = list(segments)
    with_gap.insert(min(position, len(with_gap)), "")
    assert not is_valid_key("/".join(with_gap))


@given(st.text(min_size=1, max_size=40))
def test_validation_never_crashes_and_refusal_is_invalid_key(key: str) -> None:
    if is_valid_key(key):
        assert must_be_valid_key(key) == key
        assert all(segment not in {"", ".", ".."} for segment in key.split("/"))
        assert "\\" not in key
        assert "\x00" not in key
    else:
        with pytest.raises(StorageError) as refused:
            must_be_valid_key(key)
        assert (refused.value.status, refused.value.code) == (400, "InvalidKey")


def test_length_limits() -> None:
    assert is_valid_key("a" * MAX_SEGMENT_BYTES)
    assert not is_valid_key("a" * (MAX_SEGMENT_BYTES + 1))
    assert not is_valid_key("é" * (MAX_SEGMENT_BYTES // 2 + 1))  # bytes, not characters
    long_key = "/".join(["a" * 200] * 6)
    assert len(long_key) > MAX_KEY_BYTES
    assert not is_valid_key(long_key)


@given(st.text(SAFE_CHARACTERS, min_size=1, max_size=100).filter(lambda s: s not in {".", ".."}))
def test_bucket_names(name: str) -> None:
    assert is_valid_bucket_name(name)
    assert not is_valid_bucket_name(name + "/x")


def test_bucket_name_limits() -> None:
    assert not is_valid_bucket_name("")
    assert not is_valid_bucket_name("..")
    assert not is_valid_bucket_name("a" * 101)


@pytest.mark.parametrize(
    ("mimetype", "allowed"),
    [
        ("image/png", ["image/*"]),
        ("image/png", ["image/png"]),
        ("text/plain;charset=UTF-8", ["text/plain"]),
        ("IMAGE/PNG", ["image/png"]),
    ],
)
def test_allowed_mime_types(mimetype: str, allowed: list[str]) -> None:
    check_mime_type(mimetype, allowed)


@pytest.mark.parametrize(
    ("mimetype", "allowed"),
    [("text/plain", ["image/*"]), ("image/png", ["image/jpeg"]), ("png", ["image/*"])],
)
def test_refused_mime_types(mimetype: str, allowed: list[str]) -> None:
    with pytest.raises(StorageError) as refused:
        check_mime_type(mimetype, allowed)
    assert (refused.value.status, refused.value.error) == (415, "invalid_mime_type")


def _row(name: str, minutes: int) -> dict[str, Any]:
    stamp = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    return {
        "name": name,
        "id": name,
        "updated_at": stamp,
        "created_at": stamp,
        "last_accessed_at": stamp,
        "metadata": {},
    }


ROWS = [
    _row("u/b.txt", 1),
    _row("u/A.txt", 3),
    _row("u/dir/x.txt", 2),
    _row("u/dir/y.txt", 0),
    _row("u/dir-file", 4),
]


def names(body: dict[str, Any]) -> list[str]:
    return [entry["name"] for entry in folder_level(ROWS, ListRequest.from_body(body))]


def test_listing_sorts_like_storage_search() -> None:
    # Folders sort where their children do: "dir-file" < "dir/" in byte order.
    assert names({"prefix": "u"}) == ["A.txt", "b.txt", "dir-file", "dir"]
    assert names({"prefix": "u/", "sortBy": {"column": "name", "order": "desc"}}) == [
        "dir",
        "dir-file",
        "b.txt",
        "A.txt",
    ]
    assert names({"prefix": "u", "sortBy": {"column": "created_at"}}) == [
        "dir",
        "b.txt",
        "A.txt",
        "dir-file",
    ]
    assert names({"prefix": "u", "limit": 2, "offset": 1}) == ["b.txt", "dir-file"]


def test_listing_request_validation() -> None:
    for body in ({}, {"prefix": "u", "limit": 0}, {"prefix": "u", "sortBy": {"column": "size"}}):
        with pytest.raises(StorageError) as refused:
            ListRequest.from_body(body)
        assert refused.value.status == 400


def test_file_size_units() -> None:
    assert parse_file_size("50MiB") == 50 * 1024 * 1024  # the CLI's config.toml
    assert parse_file_size("1MB") == 1_000_000  # Storage's API
    assert parse_file_size("1.5kb") == 1500
    assert project_file_size_limit() == 50 * 1024 * 1024
    with pytest.raises(StorageError) as refused:
        parse_file_size("lots")
    assert refused.value.message.startswith("Invalid file size format")
