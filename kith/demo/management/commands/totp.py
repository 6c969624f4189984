"""`kith totp USERNAME`: the current authenticator code of a demo login (demo councils only)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.demo.logins import DEMO_LOGINS, current_code
from kith.demo.models import SeedRun


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if username not in {login.username for login in DEMO_LOGINS}:
            raise CommandError(f"{username} is not a demo login: codes are shown only for those.")
        if not SeedRun.objects.exists():
            raise CommandError("No synthetic council is loaded.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no authenticator.")
        self.stdout.write(current_code(device))
