"""JWT verification worded as Supabase Storage words it (it uses node's `jsonwebtoken`)."""

from __future__ import annotations

from typing import Any

import jwt

from devstack.stack import keys


class TokenRejected(Exception):
    """A missing, malformed, forged or expired token; `message` is jsonwebtoken's wording."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def verify(token: str, secret: str) -> dict[str, Any]:
    if not token:
        raise TokenRejected("jwt must be provided")
    try:
        return keys.decode(token, secret)
    except jwt.ExpiredSignatureError as error:
        raise TokenRejected("jwt expired") from error
    except jwt.InvalidSignatureError as error:
        raise TokenRejected("invalid signature") from error
    except jwt.InvalidAlgorithmError as error:
        raise TokenRejected("invalid algorithm") from error
    except jwt.ImmatureSignatureError as error:
        raise TokenRejected("jwt not active") from error
    except jwt.DecodeError as error:
        raise TokenRejected("jwt malformed") from error
    except jwt.InvalidTokenError as error:
        raise TokenRejected("invalid token") from error
