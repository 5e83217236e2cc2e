"""`hm pi doctor`: each thing the agent needs, checked in order, with a fix anyone can follow."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from pi_agent.printer import MEDIA, PRINTER_STOPPED, CupsPrinter, PrinterError
from pi_agent.settings import AgentSettings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(settings: AgentSettings, queue: str) -> list[Check]:
    return [*_cups_checks(settings, queue), *_supabase_checks(settings)]


def _cups_checks(settings: AgentSettings, queue: str) -> list[Check]:
    printer = CupsPrinter(settings.cups_server, queue)
    where = settings.cups_server or "the default CUPS server"
    try:
        attributes = printer.attributes()
    except PrinterError as error:
        if "unreachable" in str(error):
            return [
                Check(
                    "CUPS reachable",
                    False,
                    str(error),
                    "Start CUPS: `sudo systemctl enable --now cups` (or check HM_CUPS_SERVER).",
                )
            ]
        return [
            Check("CUPS reachable", True, where),
            Check(
                "queue present",
                False,
                str(error),
                f"Add the label printer: `sudo lpadmin -p {queue} -E -v <device-uri> -m <driver>` "
                "(see docs/pi.md), or set HM_CUPS_QUEUE to an existing queue (`lpstat -p`).",
            ),
        ]
    checks = [Check("CUPS reachable", True, where), Check("queue present", True, queue)]
    accepting = bool(attributes.get("printer-is-accepting-jobs", False))
    checks.append(
        Check(
            "queue accepting jobs",
            accepting and attributes.get("printer-state") != PRINTER_STOPPED,
            str(attributes.get("printer-state-message") or attributes.get("printer-state-reasons")),
            "Turn the printer on and load labels, then "
            f"`cupsenable {queue} && cupsaccept {queue}`.",
        )
    )
    supported = attributes.get("media-supported") or []
    # CUPS names sizes like custom_2x4in_2x4in / oe_2x4-label_2x4in; custom_min_* = any size.
    media_ok = any(
        "2x4in" in str(size) or "4x2in" in str(size) or str(size).startswith("custom_min_")
        for size in supported
    )
    checks.append(
        Check(
            "2x4 in labels supported",
            media_ok,
            f"media-supported: {', '.join(map(str, supported[:8]))}",
            "Use a driver/PPD with 2x4 in labels and "
            f"`lpadmin -p {queue} -o media-default={MEDIA}`.",
        )
    )
    return checks


def _supabase_checks(settings: AgentSettings) -> list[Check]:
    url = settings.supabase_url.rstrip("/")
    key = settings.supabase_anon_key.get_secret_value()
    try:
        health = httpx.get(f"{url}/auth/v1/health", headers={"apikey": key}, timeout=5)
    except httpx.HTTPError as error:
        return [
            Check(
                "Supabase reachable",
                False,
                f"{url}: {error}",
                "Check the Wi-Fi/network and SUPABASE_URL in the agent's env file.",
            )
        ]
    checks = [
        Check("Supabase reachable", health.status_code < 500, f"{url} ({health.status_code})")
    ]
    if not (settings.device_email and settings.device_password.get_secret_value()):
        checks.append(
            Check(
                "device credentials valid",
                False,
                "HM_DEVICE_EMAIL or HM_DEVICE_PASSWORD is empty",
                "Create the station with `hm devices add NAME` and put its login in the env file.",
            )
        )
        return checks
    sign_in = httpx.post(
        f"{url}/auth/v1/token",
        params={"grant_type": "password"},
        headers={"apikey": key},
        json={
            "email": settings.device_email,
            "password": settings.device_password.get_secret_value(),
        },
        timeout=10,
    )
    checks.append(
        Check(
            "device credentials valid",
            sign_in.status_code == 200,
            settings.device_email
            if sign_in.status_code == 200
            else f"{sign_in.status_code}: {sign_in.text[:200]}",
            "Check SUPABASE_ANON_KEY, HM_DEVICE_EMAIL and HM_DEVICE_PASSWORD; a lost password "
            "means removing and re-adding the device (`hm devices add`).",
        )
    )
    return checks
