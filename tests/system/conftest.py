"""Journeys in a real Chromium (Debian's), driven by Playwright, with axe on every page."""

import datetime as dt
import importlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously from that thread, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/system/" in str(item.fspath):
            item.add_marker(pytest.mark.system)


# The rows the data migrations put in, which a transactional test's flush takes away.
REFERENCE_DATA = [
    ("kith.accounts.migrations.0002_roles", "add_roles"),
    ("kith.access.migrations.0002_default_module_grants", "add_grants"),
    ("kith.accounts.migrations.0004_performance_officer", "add_role"),
    ("kith.access.migrations.0003_returns_module", "add_grants"),
    ("kith.audit.migrations.0001_initial", "create_chain_head"),
    ("kith.people.migrations.0002_la_number_sequence", "start_sequence"),
    ("kith.core.migrations.0002_load_bank_holidays", "load_shipped_bank_holidays"),
    ("kith.core.migrations.0003_load_code_lists", "load_shipped_code_lists"),
    ("kith.work.migrations.0003_timescales", "load_shipped_timescales"),
    ("kith.work.migrations.0003_timescales", "create_default_escalation_rules"),
    ("kith.eforms.migrations.0002_shipped_forms", "add_approval_type"),
    ("kith.eforms.migrations.0002_shipped_forms", "load_shipped_forms"),
    ("kith.recording.migrations.0002_code_lists_and_note_triggers", "load_types"),
    ("kith.recording.migrations.0003_notes_drafts_and_approval", "load_note_types"),
]


@pytest.fixture
def reference_data(transactional_db) -> None:
    """Put the migrations' reference rows back (each loader is idempotent)."""
    from django.apps import apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run `make chromium` (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class AccessiblePage:
    """A page whose every visited URL is checked with axe against WCAG 2.2 A/AA."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check_accessibility()

    def check_accessibility(self) -> None:
        self.page.wait_for_load_state("load")
        results = _axe.run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, (
            f"axe found WCAG violations on {self.page.url}:\n{results.generate_report()}"
        )
        self.checked.append(self.page.url)


@contextmanager
def _accessible_page(browser: Browser, live_server) -> Iterator[AccessiblePage]:
    """A fresh browser context (its own cookies) whose JavaScript errors and failed static
    files fail the test."""
    context = browser.new_context(base_url=live_server.url)
    console_errors: list[str] = []
    failed_assets: list[str] = []
    try:
        raw = context.new_page()

        def on_console(message) -> None:
            # A page answered 403/404/429 on purpose is reported as a failed load: not an error.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                console_errors.append(message.text)

        def on_response(response) -> None:
            if "/static/" in response.url and response.status >= 400:
                failed_assets.append(f"{response.status} {response.url}")

        raw.on("console", on_console)
        raw.on("pageerror", lambda exc: console_errors.append(str(exc)))
        raw.on("response", on_response)
        yield AccessiblePage(raw, live_server.url)
    finally:
        context.close()
    assert not console_errors, f"JavaScript errors in the browser: {console_errors}"
    assert not failed_assets, f"Static files that did not load: {failed_assets}"


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[AccessiblePage]:
    with _accessible_page(browser, live_server) as accessible:
        yield accessible


@pytest.fixture
def manager_page(browser: Browser, live_server) -> Iterator[AccessiblePage]:
    """A second browser, for a manager working alongside the worker of ``page``."""
    with _accessible_page(browser, live_server) as accessible:
        yield accessible


def fill_date(page: AccessiblePage, legend: str, day: dt.date) -> None:
    """Type a date into the GOV.UK date input whose fieldset is ``legend``."""
    fieldset = page.page.get_by_role("group", name=legend)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def sign_in_with_password(page: AccessiblePage, user, password: str) -> None:
    page.goto("/sign-in")
    page.page.get_by_label("Username").fill(user.username)
    page.page.get_by_label("Password", exact=True).fill(password)
    page.page.get_by_role("button", name="Continue").click()


def sign_in_as(page: AccessiblePage, user) -> None:
    """Password, then the code from the user's authenticator, as a person would."""
    from playwright.sync_api import expect

    from tests import factories

    sign_in_with_password(page, user, factories.PASSWORD)
    page.page.get_by_label("Security code").fill(factories.totp_code(factories.totp_device(user)))
    page.page.get_by_role("button", name="Sign in").click()
    expect(page.page.get_by_role("heading", name="Welcome, Test")).to_be_visible()
