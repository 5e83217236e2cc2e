"""HTML email: whatever a person types (a template, or a merge value from a form) reaches the HTML
part of an email only escaped — drawn by Hypothesis and rendered by the database's one renderer
(public.email_html) — the HTML says the same as the plain-text part (public.email_text), and the
email adapter sends both parts, the unsubscribe link filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devstack.stack.manager import LocalStack
from tests.workers.conftest import Simulator
from workers.mailersend_sender import (
    UNSUBSCRIBE_HREF_PLACEHOLDER,
    UNSUBSCRIBE_URL_PLACEHOLDER,
    MailerSendEmailSender,
)
from workers.ports import OutboundMessage, ProviderRejected

LAYOUT_TAGS = {"html", "head", "meta", "title", "body", "table", "tr", "td", "p", "br", "a"}
LAYOUT_ATTRIBUTES = {
    "lang", "dir", "charset", "name", "content", "style", "role", "width", "cellpadding",
    "cellspacing", "border", "align", "href",
}  # fmt: skip
UNSUBSCRIBE = "https://app.test/unsubscribe?t=u1.x&y=1"

# What people paste: markup and script, event handlers, scripted links, quotes and ampersands,
# real links, line breaks and blank lines, amid any text at all.
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        '" onmouseover="alert(1)',
        "' onfocus='alert(1)",
        "https://hellomiami.org/rsvp?a=1&b=2",
        'https://x.test/"><script>alert(1)</script>',
        "http://x.test/a.",
        "&amp; &lt;b&gt;",
        "</td></tr></table>",
        "<!-- -->",
        "{{unsubscribe_url}}",
        'href="{{unsubscribe_url}}"',
        "\n",
        "\n\n",
        "\r\n",
        " ",
    ]
)
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
TEXTS = st.lists(st.one_of(HOSTILE, ANY_TEXT), max_size=12).map("".join)


class Email(HTMLParser):
    """An HTML email taken apart: its tags and attributes, and the text of its content cell."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[list[str]] = []
        self.title: list[str] = []
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            self.cells.append([])
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif self.cells:
            self.cells[-1].append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment reached the HTML: {data!r}")

    def content(self) -> str:
        # Cells: the page's, the organisation's name, the content, the footer.
        return "".join(self.cells[2])


def words(text: str) -> list[str]:
    return text.split()


@pytest.fixture(scope="module")
def renderer(stack: LocalStack) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    with psycopg.connect(stack.config.db_url(), autocommit=True) as connection:
        yield connection


def render(db: psycopg.Connection[tuple[Any, ...]], text: str, subject: str, org: str) -> str:
    row = db.execute(
        "select public.email_html(%s, %s, %s, 'en', %s)", (text, subject, org, UNSUBSCRIBE)
    ).fetchone()
    assert row is not None
    return str(row[0])


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS, subject=TEXTS, org=TEXTS)
def test_what_people_type_reaches_the_html_only_as_text(
    renderer: psycopg.Connection[tuple[Any, ...]], text: str, subject: str, org: str
) -> None:
    html = render(renderer, text, subject, org)
    email = Email(html)
    for tag, attributes in email.tags:
        assert tag in LAYOUT_TAGS, f"{tag!r} is not the layout's"
        assert set(attributes) <= LAYOUT_ATTRIBUTES, attributes
        if tag == "a":
            href = attributes["href"] or ""
            assert href == UNSUBSCRIBE or re.match(r"(?i)https?://", href), href
    # Every "<" opens one of the layout's tags: none comes from the text.
    assert {name.lower() for name in re.findall(r"<[/!]?([A-Za-z]+)", html)} <= LAYOUT_TAGS | {
        "doctype"
    }
    assert words(email.content()) == words(text), "the HTML says what the plain-text part says"
    assert "".join(email.title) == subject
    assert words("".join(email.cells[1])) == words(org)
    links = [a["href"] for tag, a in email.tags if tag == "a"]
    assert links[-1] == UNSUBSCRIBE, "the footer links the unsubscribe page"


def test_an_address_in_the_text_becomes_a_link_without_its_full_stop(
    renderer: psycopg.Connection[tuple[Any, ...]],
) -> None:
    email = Email(render(renderer, "RSVP at https://hellomiami.org/rsvp?a=1&b=2.", "s", "o"))
    links = [a["href"] for tag, a in email.tags if tag == "a"]
    assert links == ["https://hellomiami.org/rsvp?a=1&b=2", UNSUBSCRIBE]


def marketing_email(html: str, text_part: str | None = None) -> OutboundMessage:
    return OutboundMessage(
        id="00000000-0000-0000-0000-000000000003",
        channel="email",
        to_address="ana@example.com",
        body="See you Thursday",
        subject="Hello Miami",
        from_address="hello@hellomiami.org",
        from_name="Hello Miami",
        is_marketing=True,
        unsubscribe_token="u1.a&b",
        html=html,
        text_part=text_part,
    )


SPANISH_TEXT_PART = (
    "Nos vemos el jueves\n\n"
    f"Darte de baja o cambiar tus preferencias: {UNSUBSCRIBE_URL_PLACEHOLDER}"
)


async def test_both_parts_reach_mailersend_with_the_signed_link_in_the_html(
    simulator: Simulator, email_sender: MailerSendEmailSender
) -> None:
    html = f"<p>Nos vemos el jueves</p><a {UNSUBSCRIBE_HREF_PLACEHOLDER}>Darte de baja</a>"
    await email_sender.send(marketing_email(html, SPANISH_TEXT_PART))
    [record] = simulator.emails()
    assert record["html"] == (
        '<p>Nos vemos el jueves</p><a href="https://hellomiami.org/unsubscribe?t=u1.a&amp;b">'
        "Darte de baja</a>"
    )
    assert record["text"] == (
        "Nos vemos el jueves\n\nDarte de baja o cambiar tus preferencias: "
        "https://hellomiami.org/unsubscribe?t=u1.a&b"
    ), "the plain-text part is the claim's, in the recipient's language, its link filled in"


def test_marketing_html_without_its_unsubscribe_link_is_not_sent(
    email_sender: MailerSendEmailSender,
) -> None:
    with pytest.raises(ProviderRejected) as refused:
        email_sender.request_for(marketing_email("<p>no footer</p>", SPANISH_TEXT_PART))
    assert refused.value.code == "no_unsubscribe_link"


@pytest.mark.parametrize(
    "text_part",
    [None, "Nos vemos el jueves", f"{UNSUBSCRIBE_URL_PLACEHOLDER} typed, then no footer line"],
)
def test_marketing_text_without_the_claims_unsubscribe_line_is_not_sent(
    email_sender: MailerSendEmailSender, text_part: str | None
) -> None:
    html = f"<a {UNSUBSCRIBE_HREF_PLACEHOLDER}>x</a>"
    with pytest.raises(ProviderRejected) as refused:
        email_sender.request_for(marketing_email(html, text_part))
    assert refused.value.code == "no_unsubscribe_link"


def test_the_plain_text_and_html_footers_say_the_same_in_both_languages(
    renderer: psycopg.Connection[tuple[Any, ...]],
) -> None:
    footers = {
        "en": "Unsubscribe or change your preferences",
        "es": "Darte de baja o cambiar tus preferencias",
    }
    for language, words_of_link in footers.items():
        row = renderer.execute(
            "select public.email_text('Hi', %s, %s), public.email_html('Hi', 's', 'o', %s, %s)",
            (language, UNSUBSCRIBE, language, UNSUBSCRIBE),
        ).fetchone()
        assert row is not None
        assert row[0] == f"Hi\n\n{words_of_link}: {UNSUBSCRIBE}"
        assert f">{words_of_link}</a>" in row[1]
