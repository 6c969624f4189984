"""Signing in as a person would: in Chromium, with axe checking every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.system.conftest import AccessiblePage, sign_in_as, sign_in_with_password

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


class TestSignIn:
    def test_the_page_javascript_and_csp_nonce_work(self, page: AccessiblePage):
        # given the sign-in page
        page.goto("/sign-in")
        # then the nonce'd inline script ran and GOV.UK Frontend initialised its components
        body_classes = page.page.locator("body").get_attribute("class") or ""
        assert "js-enabled" in body_classes
        assert "govuk-frontend-supported" in body_classes
        expect(page.page.get_by_role("button", name=re.compile("Show"))).to_be_visible()

    def test_sign_in_with_password_and_authenticator_code(self, page: AccessiblePage):
        # given a social worker with an authenticator app
        user = factories.user()
        # when they give their password, then the code from the app
        sign_in_with_password(page, user, factories.PASSWORD)
        expect(page.page.get_by_role("heading", name="Enter your security code")).to_be_visible()
        page.check_accessibility()
        page.page.get_by_label("Security code").fill(
            factories.totp_code(factories.totp_device(user))
        )
        page.page.get_by_role("button", name="Sign in").click()
        # then they reach the home page, signed in under their name
        expect(page.page.get_by_role("heading", name="Welcome, Test")).to_be_visible()
        expect(page.page.get_by_text(user.display_name)).to_be_visible()
        page.check_accessibility()

    def test_wrong_code_shows_an_accessible_error(self, page: AccessiblePage):
        user = factories.user()
        sign_in_with_password(page, user, factories.PASSWORD)
        page.page.get_by_label("Security code").fill("000000")
        page.page.get_by_role("button", name="Sign in").click()
        expect(page.page.get_by_role("alert")).to_contain_text("The security code is not right")
        page.check_accessibility()

    def test_first_sign_in_sets_up_the_authenticator(self, page: AccessiblePage):
        # given a new user without an authenticator
        user = factories.user(with_authenticator=False)
        sign_in_with_password(page, user, factories.PASSWORD)
        # when they add the key shown to an app and type its code
        expect(
            page.page.get_by_role("heading", name="Set up your authenticator app")
        ).to_be_visible()
        page.check_accessibility()
        page.page.get_by_label("Security code").fill(
            factories.totp_code(user.totpdevice_set.get(confirmed=False))
        )
        page.page.get_by_role("button", name="Continue").click()
        # then they see their backup codes once, and carry on to the home page
        expect(page.page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
        page.check_accessibility()
        page.page.get_by_role("button", name=re.compile("continue")).click()
        expect(page.page.get_by_role("heading", name="Welcome, Test")).to_be_visible()

    def test_locked_out_after_repeated_failures(self, page: AccessiblePage):
        # given a user who mistypes their password five times
        user = factories.user()
        for _ in range(5):
            sign_in_with_password(page, user, "not my password at all")
        # when they then type it correctly
        sign_in_with_password(page, user, factories.PASSWORD)
        # then they are told the account is locked, and not let in
        expect(page.page.get_by_role("heading", name="Your account is locked")).to_be_visible()
        page.check_accessibility()
        page.goto("/")
        expect(page.page.get_by_role("heading", name="Sign in to Kith")).to_be_visible()

    def test_signed_out_after_the_idle_timeout_with_a_warning_first(
        self, page: AccessiblePage, settings
    ):
        # given sessions that time out after 6 seconds, with a warning 4 seconds before
        settings.KITH_IDLE_TIMEOUT_SECONDS = 6
        settings.KITH_IDLE_WARNING_SECONDS = 4
        sign_in_as(page, factories.user())
        # when they do nothing, a warning appears first
        warning = page.page.locator("#idle-warning")
        expect(warning).to_be_visible(timeout=5000)
        expect(warning).to_contain_text("signed out")
        page.check_accessibility()
        # then they are signed out and told why
        expect(page.page.get_by_test_id("idle-signed-out")).to_be_visible(timeout=10000)
        page.check_accessibility()
        page.goto("/")
        expect(page.page.get_by_role("heading", name="Sign in to Kith")).to_be_visible()

    def test_stay_signed_in_keeps_the_session(self, page: AccessiblePage, settings):
        settings.KITH_IDLE_TIMEOUT_SECONDS = 6
        settings.KITH_IDLE_WARNING_SECONDS = 4
        sign_in_as(page, factories.user())
        warning = page.page.locator("#idle-warning")
        expect(warning).to_be_visible(timeout=5000)
        page.page.get_by_role("button", name="Stay signed in").click()
        expect(warning).to_be_hidden()
        # the warning comes back later rather than a sign-out in between
        expect(warning).to_be_visible(timeout=5000)
        assert "/signed-out" not in page.page.url
