"""Test hook, run only by tests/test_pi_pair.py: a pairing worker that is killed (SIGKILL, no
clean-up of any kind) right after it created a station's Auth login and before it recorded the
station — the worst moment to die. It claims with a one-second lease so the test's next worker
can take the pairing over at once.

    SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… python tests/pairing_crash.py
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from supabase import AsyncClientOptions, acreate_client

from workers.station_pairing import StationPairer, SupabasePairingStore, SupabaseStationLogins


class LoginsThatDieAfterCreating(SupabaseStationLogins):
    async def create(self, user_id: str, email: str, password: str, station_name: str) -> None:
        await super().create(user_id, email, password, station_name)
        os.kill(os.getpid(), signal.SIGKILL)


async def main() -> int:
    client = await acreate_client(
        os.environ["SUPABASE_URL"],
        os.environ["SUPABASE_SERVICE_ROLE_KEY"],
        AsyncClientOptions(auto_refresh_token=False, persist_session=False),
    )
    pairer = StationPairer(
        SupabasePairingStore(client), LoginsThatDieAfterCreating(client), lease_seconds=1
    )
    return await pairer.run_once()


if __name__ == "__main__":
    claimed = asyncio.run(main())
    # Reached only when there was nothing to claim.
    sys.exit(f"the crashing worker claimed {claimed} pairings and did not die")
