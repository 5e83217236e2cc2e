"""A small page listing what was "sent", with a form to reply as a contact."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from devstack.simulators.control import inbound_sms
from devstack.simulators.state import SimulatorState

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
form{display:flex;gap:.5rem;margin-bottom:2rem} input{padding:.3rem}
"""


def _rows(cells: list[list[str]]) -> str:
    return "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in cells
    )


async def index(request: Request) -> Response:
    state: SimulatorState = request.app.state.sim
    texts = sorted(state.sms.values(), key=lambda record: record.created_at, reverse=True)[:200]
    emails = sorted(state.emails.values(), key=lambda record: record.created_at, reverse=True)[:200]
    sms_rows = [
        [
            r.created_at.strftime("%H:%M:%S"),
            r.from_ or r.messaging_service_sid or "",
            r.to,
            r.body,
            r.status + (f" ({r.error_code})" if r.error_code else ""),
        ]
        for r in texts
    ]
    email_rows = [
        [r.created_at.strftime("%H:%M:%S"), r.from_email, ", ".join(r.to), r.subject, r.status]
        for r in emails
    ]
    inbound_rows = [
        [str(entry["from"]), str(entry["to"]), str(entry["body"]), str(entry.get("reply") or "")]
        for entry in reversed(state.inbound[-100:])
    ]
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Provider simulator</title><style>{_STYLE}</style></head><body>
<h1>Provider simulator</h1>
<h2>Reply as a contact</h2>
<form method="post" action="/reply">
<input name="from" placeholder="+13055550123" required aria-label="from">
<input name="to" placeholder="our number" required aria-label="to">
<input name="body" placeholder="message" required aria-label="body" size="40">
<button>Send</button></form>
<h2>Texts ({len(state.sms)})</h2>
<table><tr><th>time</th><th>from</th><th>to</th><th>body</th><th>status</th></tr>
{_rows(sms_rows)}</table>
<h2>Inbound</h2>
<table><tr><th>from</th><th>to</th><th>body</th><th>our answer</th></tr>
{_rows(inbound_rows)}</table>
<h2>Emails ({len(state.emails)})</h2>
<table><tr><th>time</th><th>from</th><th>to</th><th>subject</th><th>status</th></tr>
{_rows(email_rows)}</table></body></html>"""
    return HTMLResponse(html)


async def reply(request: Request) -> Response:
    form = await request.form()
    body = {"from": form.get("from"), "to": form.get("to"), "body": form.get("body")}
    await inbound_sms(request.app.state.sim, request, body)
    return RedirectResponse("/", status_code=303)


routes = [Route("/", index, methods=["GET"]), Route("/reply", reply, methods=["POST"])]
