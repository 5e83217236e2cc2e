"""The on-disk store: staging with a size limit, atomic publish, pruning of unreferenced bytes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from devstack.stack.storage.errors import StorageError
from devstack.stack.storage.files import FileStore


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_stage_publish_and_prune(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.prepare(set())
    staged = await store.stage(chunks(b"hello ", b"world"), size_limit=11)
    assert (staged.size, staged.etag) == (11, '"5eb63bbbe01eeed093cb22bb8f5acdc3"')
    kept, dropped = str(uuid.uuid4()), str(uuid.uuid4())
    store.publish(staged, "bucket", kept)
    assert store.path_for("bucket", kept).read_bytes() == b"hello world"
    assert not staged.path.exists()
    store.publish_copy(store.path_for("bucket", kept), "other", dropped)
    leftover = await store.stage(chunks(b"crashed mid-request"), size_limit=100)

    assert store.prepare({("bucket", kept)}) == 2
    assert store.bytes_of("bucket", kept) is not None
    assert store.bytes_of("other", dropped) is None
    assert not leftover.path.exists()


async def test_stage_refuses_past_the_limit_and_leaves_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.prepare(set())
    with pytest.raises(StorageError) as refused:
        await store.stage(chunks(b"12345", b"6"), size_limit=5)
    assert refused.value.status == 413
    assert list(store.staging.iterdir()) == []


def test_only_uuid_versions_map_to_files(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    assert store.bytes_of("bucket", "../../etc/passwd") is None
    assert store.bytes_of("bucket", None) is None
    with pytest.raises(ValueError, match="badly formed"):
        store.path_for("bucket", "..")
