"""`kith demo_logins`: print the synthetic council's demo logins and their current codes."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.accounts.services import totp_secret_for_display
from kith.demo.logins import DEMO_LOGINS, current_code, demo_password
from kith.demo.models import SeedRun


class Command(BaseCommand):
    help = "Print the demo logins: username, password, authenticator key and current code."

    def handle(self, *args: Any, **options: Any) -> None:
        run = SeedRun.objects.first()
        if run is None:
            raise CommandError("No synthetic council is loaded: run `kith seed` first.")
        password = demo_password(run.seed)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Kith demo logins"))
        self.stdout.write(
            f"Open http://127.0.0.1:8000 . Every demo login's password is: {password}"
        )
        self.stdout.write(
            "Add the key to an authenticator app, or type the code shown (it changes every "
            "30 seconds; `.venv/bin/kith totp USERNAME` prints a fresh one).\n"
        )
        for login in DEMO_LOGINS:
            device = TOTPDevice.objects.filter(
                user__username=login.username, confirmed=True
            ).first()
            if device is None:
                continue
            self.stdout.write(
                f"  {login.username:<14} {login.description:<52} "
                f"key {totp_secret_for_display(device)}  code {current_code(device)}"
            )
        self.stdout.write(
            f"\nCouncil: {settings.KITH_COUNCIL_NAME} ({run.size}, seed {run.seed})\n"
        )
