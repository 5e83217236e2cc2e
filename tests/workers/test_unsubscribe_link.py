"""The preference page linked from marketing emails is the web app's /unsubscribe page: one
setting (APP_PUBLIC_URL) places it, EMAIL_UNSUBSCRIBE_URL only moves it elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from workers.settings import WorkerSettings


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("APP_PUBLIC_URL", "EMAIL_UNSUBSCRIBE_URL", "WEBHOOK_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env file here


def test_the_link_follows_the_web_app() -> None:
    settings = WorkerSettings(app_public_url="https://hellomiami.org/")
    assert settings.email_unsubscribe_url == "https://hellomiami.org/unsubscribe?t={token}"
    assert WorkerSettings().email_unsubscribe_url == "http://127.0.0.1:54360/unsubscribe?t={token}"


def test_an_explicit_page_wins_and_one_click_stays_on_the_webhook_server() -> None:
    settings = WorkerSettings(
        email_unsubscribe_url="https://prefs.example/u?t={token}",
        webhook_public_url="https://hooks.example",
    )
    assert settings.email_unsubscribe_url == "https://prefs.example/u?t={token}"
    assert settings.one_click_unsubscribe_url == "https://hooks.example/unsubscribe?t={token}"


def test_a_page_without_the_token_is_refused() -> None:
    with pytest.raises(ValidationError, match="must contain"):
        WorkerSettings(email_unsubscribe_url="https://prefs.example/u")
