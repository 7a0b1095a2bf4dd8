"""Safe to run for real (issue 16 §1): production is the default, the deploy check passes with
production values, every response carries the security headers, errors are friendly pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

REPOSITORY = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "KLACHTENREGISTER_ENV": "production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "k7Qz" * 12,
    "DJANGO_ALLOWED_HOSTS": "klachten.example.nl",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def django_command(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m klachtenregister ARGS`` in a clean environment: only what ``env`` says."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "KLACHTENREGISTER_"))
    }
    clean["KLACHTENREGISTER_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [sys.executable, "-m", "klachtenregister", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=tmp_path,
        check=False,
    )


def test_without_a_secret_key_it_refuses_to_start_and_says_which_variable(tmp_path):
    result = django_command(tmp_path, "check", DJANGO_ALLOWED_HOSTS="klachten.example.nl")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" not in result.stderr


def test_without_allowed_hosts_it_refuses_to_start_and_says_which_variable(tmp_path):
    result = django_command(tmp_path, "check", DJANGO_SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_debug_is_off_unless_asked_for_in_production(tmp_path):
    code = "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECURE_PROXY_SSL_HEADER"}
    result = django_command(tmp_path, "shell", "--verbosity", "0", "-c", code, **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_the_deploy_check_passes_with_production_values(tmp_path):
    result = django_command(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_when_https_is_switched_off(tmp_path):
    # The check itself must be able to fail: switching the secure settings off is seen.
    result = django_command(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SESSION_COOKIE_SECURE="false",
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr
    assert "security.W012" in result.stderr


def test_the_development_settings_are_what_make_run_and_the_tests_use():
    assert settings.ENVIRONMENT == "development"
    makefile = (REPOSITORY / "Makefile").read_text(encoding="utf-8")
    targets = "run test letters lint typecheck bench bench-scale"
    assert f"{targets}: export KLACHTENREGISTER_ENV = development" in makefile


def test_connections_are_checked_before_reuse_and_sessions_end_after_eight_hours():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


@pytest.mark.django_db
def test_every_page_has_the_security_headers_and_is_not_cached():
    response = Client().get(reverse("login"))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_no_template_of_a_page_has_inline_script_or_style():
    # The CSP forbids inline code: a page that had some would silently lose it.
    import re

    # Every app's page templates; WeasyPrint's letters, dossier and report PDFs are no pages.
    package = REPOSITORY / "src" / "klachtenregister"
    printed = {"letter.html", "dossier.html", "report_pdf.html"}
    pages = [path for path in package.glob("*/templates/**/*.html") if path.name not in printed]
    assert any(path.parent.name == "reports" for path in pages)
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\son[a-z]+=|\sstyle=", re.IGNORECASE)
    found = [
        f"{path.relative_to(package)}: {match.group(0)}"
        for path in pages
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
def test_static_files_are_served_by_whitenoise():
    response = Client().get("/static/backoffice/site.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"--accent" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_missing_page_is_a_friendly_page_in_dutch_and_english_without_the_url_list():
    dutch = Client().get("/bestaat-niet/")
    english = Client().get("/en/does-not-exist/")

    assert dutch.status_code == english.status_code == 404
    assert "Pagina niet gevonden" in dutch.text
    assert "Page not found" in english.text
    for response in (dutch, english):
        assert "inloggen" in response.text  # the menu
        assert "URLconf" not in response.text
        assert "admin/" not in response.text
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.urls("tests.config.error_urls")
def test_an_error_is_a_friendly_page_never_the_debug_page(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/fails/")

    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    assert "s3cret-password" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text


@pytest.mark.django_db
def test_a_form_without_its_security_token_is_a_friendly_page():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})

    assert response.status_code == 403
    assert "Formulier verlopen" in response.text
    assert "CSRF" not in response.text


@pytest.mark.django_db
@pytest.mark.urls("tests.config.error_urls")
def test_a_refusal_is_a_friendly_page_with_the_register_s_reason():
    response = Client().get("/refuses/")

    assert response.status_code == 403
    assert "Geen toegang" in response.text
    assert "U bent zelf beklaagde in deze klacht." in response.text


def test_the_reverse_proxy_for_the_login_lockout_is_set_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print([str(n) for n in s.TRUSTED_PROXIES], s.PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE)"
    )
    result = django_command(
        tmp_path,
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
        KLACHTENREGISTER_TRUSTED_PROXIES="10.0.0.7, 10.1.0.0/16,::1",
        KLACHTENREGISTER_PROXY_COUNT="1",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['10.0.0.7/32', '10.1.0.0/16', '::1/128'] 1 klachtenregister.accounts.client_ip.client_ip"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("KLACHTENREGISTER_TRUSTED_PROXIES", "10.0.0.7,proxy.local", "'proxy.local' is not an IP"),
        ("KLACHTENREGISTER_PROXY_COUNT", "twee", "it must be a whole number"),
    ],
)
def test_a_wrong_proxy_setting_stops_the_start_and_says_which(tmp_path, variable, value, message):
    result = django_command(tmp_path, "check", **PRODUCTION, **{variable: value})

    assert result.returncode != 0
    assert f"{variable}" in result.stderr and message in result.stderr
