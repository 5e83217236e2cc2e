"""Password rules and hashes in auth.users.encrypted_password: bcrypt, as GoTrue writes them."""

from __future__ import annotations

import asyncio

import bcrypt

from devstack.stack.auth.errors import validation_failed, weak_password

# GoTrue's default cost. bcrypt reads only the first 72 bytes, so longer passwords are refused
# rather than silently truncated (GoTrue does the same).
BCRYPT_COST = 10
BCRYPT_MAX_BYTES = 72


def check_new_password(password: object, min_length: int) -> str:
    if not isinstance(password, str):
        raise validation_failed("Password must be a string")
    if len(password.encode()) > BCRYPT_MAX_BYTES:
        raise validation_failed(f"Password cannot be longer than {BCRYPT_MAX_BYTES} characters")
    if len(password) < min_length:
        raise weak_password(min_length)
    return password


async def hash_password(password: str) -> str:
    """Hash off the event loop: bcrypt is deliberately slow (≈50 ms at cost 10)."""
    salt = bcrypt.gensalt(BCRYPT_COST)
    hashed = await asyncio.to_thread(bcrypt.hashpw, password.encode(), salt)
    return hashed.decode()


async def password_matches(password: str, encrypted: str | None) -> bool:
    secret = password.encode()
    if not encrypted or len(secret) > BCRYPT_MAX_BYTES:
        return False
    return await asyncio.to_thread(bcrypt.checkpw, secret, encrypted.encode())
