"""`kith openapi`: print the API's OpenAPI document (committed as kith/api/openapi.json)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from kith.api.v1 import api


def openapi_json() -> str:
    return (
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, sort_keys=True) + "\n"
    )


class Command(BaseCommand):
    help = "Print the OpenAPI document for /api/v1/."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(openapi_json(), ending="")
