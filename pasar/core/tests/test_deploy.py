"""Production settings from the environment: check --deploy is clean, serving refuses the dev key, headers."""

import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from pasar.testing import factories

# The production environment of /work/notes/sec-deploy-env.md (docs/deploy.md): nothing else is needed
# for `pasar check --deploy --fail-level WARNING` to pass.
PRODUCTION = {
    "PASAR_SECRET_KEY": "k3Jx9-0vQe4tZr8Lw2Yb6Nn1Hs5Uf7Gd3Pa0Mc9Xi4Ro8Tv2Ek6Wy1Bj5Qz7Lp0Su3",
    "PASAR_HTTPS": "1",
    "PASAR_ALLOWED_HOSTS": "pasar.example.go.id",
    "PASAR_CSRF_TRUSTED_ORIGINS": "https://pasar.example.go.id",
}


def pasar(env, *args, code=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PASAR_", "DJANGO_"))}
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "pasar.cli", *args]
    return subprocess.run(  # noqa: S603 - the test's own interpreter
        command,
        env={**base, "DJANGO_SETTINGS_MODULE": "pasar.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def data_dir(tmp_path):
    return {"PASAR_DATA_DIR": str(tmp_path / "data")}


def test_check_deploy_passes_with_the_production_environment(data_dir):
    done = pasar({**PRODUCTION, **data_dir}, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_https_turns_on_secure_cookies_hsts_redirect_and_the_proxy_header_and_the_app_starts(data_dir):
    code = (
        "import pasar.wsgi; from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    done = pasar({**PRODUCTION, **data_dir}, code=code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db  # the model checks ask the database whether it supports JSON fields
def test_without_https_and_a_key_check_deploy_fails(settings):
    """The test process runs without PASAR_HTTPS or PASAR_SECRET_KEY: the issue's warnings, all of them."""
    settings.SECRET_KEY = settings.PASAR_DEV_SECRET_KEY
    assert not settings.SESSION_COOKIE_SECURE
    assert not settings.CSRF_COOKIE_SECURE
    assert not settings.SECURE_SSL_REDIRECT
    with pytest.raises(SystemCheckError) as failed:
        call_command("check", deploy=True, fail_level="WARNING", stdout=io.StringIO(), stderr=io.StringIO())
    for warning in ("W004", "W008", "W009", "W012", "W016"):
        assert f"security.{warning}" in str(failed.value)


def test_the_wsgi_application_refuses_to_start_without_a_secret_key(data_dir):
    done = pasar(data_dir, code="import pasar.wsgi")
    assert done.returncode != 0
    assert "ImproperlyConfigured: PASAR_SECRET_KEY is not set" in done.stderr


@pytest.mark.parametrize("command", [("serve", "--no-collectstatic"), ("db_worker", "--batch")])
def test_serve_and_the_worker_refuse_the_development_key_unless_debug(settings, command, monkeypatch):
    from pasar.runtime import worker

    ran = []
    monkeypatch.setattr(worker, "run", lambda **kwargs: ran.append(kwargs))
    settings.SECRET_KEY = settings.PASAR_DEV_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="PASAR_SECRET_KEY is not set"):
        call_command(*command)
    assert ran == []
    settings.DEBUG = True
    call_command("db_worker", "--batch")
    assert len(ran) == 1


@pytest.mark.django_db
def test_pages_carry_a_csp_with_the_htmx_script_nonce_and_a_permissions_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    found = re.search(r"'nonce-([^']+)'", policy)
    assert found is not None
    nonce = found.group(1)
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    html = response.content.decode()
    assert re.search(rf'<script[^>]*nonce="{re.escape(nonce)}"', html), "htmx's script tag carries the nonce"
    assert " onclick=" not in html
    assert response["Permissions-Policy"].startswith("geolocation=(self), camera=()")
    assert client.get("/").headers["Content-Security-Policy"] != policy  # a new nonce per response


@pytest.mark.django_db
def test_staff_sessions_are_short_and_buyers_stay_logged_in(client, roles):
    client.post("/akun/masuk/", {"username": roles.buyer.phone, "password": factories.PASSWORD})
    assert client.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE
    for person in (roles.operator, roles.officer, roles.admin):
        client.logout()
        client.post("/akun/masuk/", {"username": person.phone, "password": factories.PASSWORD})
        assert client.session.get("_auth_user_id") == str(person.pk)
        assert client.session.get_expiry_age() == 8 * 60 * 60
