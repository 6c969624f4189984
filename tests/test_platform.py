"""The platform around the domain: health, errors, security headers, deploy settings."""

import os
import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_app_and_database_without_signing_in():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["app"]["version"]


def test_unknown_page_is_a_govuk_404(signed_in_client):
    response = signed_in_client().get("/no-such-page")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "govuk-template" in body


def test_signed_out_visitors_never_learn_whether_a_page_exists():
    response = Client().get("/no-such-page")
    assert response.status_code == 302


def test_csrf_failure_is_explained():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_server_error_page(client, settings):
    from kith.core.views import server_error

    response = server_error(None)  # type: ignore[arg-type]
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_security_headers_on_every_page(signed_in_client):
    for client, path in ((Client(), "/sign-in"), (signed_in_client(), "/")):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self' 'nonce-" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response.headers["Permissions-Policy"]
    assert "no-store" in signed_in_client().get("/").headers["Cache-Control"]


def test_inline_script_carries_the_csp_nonce():
    response = Client().get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def run_kith(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # As an operator would run it: not with the test session's settings or browser switches.
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kith.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_kith(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="kith.config.settings.production",
        SECRET_KEY="k" * 20 + "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f",
        ALLOWED_HOSTS="kith.council.example",
        DATABASE_URL="sqlite:////tmp/kith-deploy-check.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_real_secret_key():
    result = run_kith(
        "check",
        DJANGO_SETTINGS_MODULE="kith.config.settings.production",
        SECRET_KEY="short",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_storage_url_selects_filesystem_or_s3():
    from django.core.exceptions import ImproperlyConfigured

    from kith.config.settings.base import storages_from_url

    assert storages_from_url("file:///srv/kith")["default"]["OPTIONS"] == {"location": "/srv/kith"}
    s3 = storages_from_url("s3://records?endpoint_url=http://127.0.0.1:9000&region=eu-west-2")
    assert s3["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["default"]["OPTIONS"]["bucket_name"] == "records"
    assert s3["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    with pytest.raises(ImproperlyConfigured, match="must start with file:// or s3://"):
        storages_from_url("ftp://nope")
