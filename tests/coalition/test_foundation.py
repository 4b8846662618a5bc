import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from coalition import local_servers


def test_database_is_postgresql_with_needed_extensions(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"btree_gist", "pg_trgm", "unaccent"} <= extensions


def test_broker_and_cache_are_redis():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL


def test_home_page_in_each_language(client, db):
    for code in ["en", "ru", "fr"]:
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<html lang="{code}"' in page
        assert f'lang="{code}" hreflang="{code}" aria-current="true"' in page
    assert "Primary Health Care Coalition" in client.get("/en/").content.decode()


def test_root_redirects_to_language_prefix(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_language_switcher_keeps_the_page(client, db):
    page = client.get("/en/champions/").content.decode()
    assert 'href="/fr/champions/" lang="fr"' in page and 'href="/ru/champions/" lang="ru"' in page
    assert client.get("/fr/champions/").status_code == 200


def test_security_headers_on_pages(client, db):
    response = client.get("/en/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def _child_env(**extra):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "coalition.settings",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or local_servers.database_url(settings.DATABASES["default"]),
        "REDIS_URL": settings.REDIS_URL,
        **extra,
    }


def test_production_settings_pass_check_deploy():
    env = _child_env(
        DEBUG="0", SECRET_KEY="a-production-like-secret-key-" + "k" * 40, ALLOWED_HOSTS="phc.example.org",
        SECURE_SSL_REDIRECT="1", STAFF_REQUIRE_2FA="1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_is_refused_in_production():
    env = _child_env(DEBUG="0", SECRET_KEY="")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_no_missing_migrations():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_navigation_lists_only_sections_that_exist(client, db):
    response = client.get(reverse("home"))
    for item in response.context["navigation"]:
        assert item["url"].startswith("/en/")
