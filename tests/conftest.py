import os
from pathlib import Path

import pytest

from tests.factories import StaffFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OUTPUT_DIR = Path(__file__).resolve().parent.parent / "test-output"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def screenshot_dir():
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def browser():
    # Function scope: Playwright's sync API switches greenlets, and a browser kept across
    # tests leaves later tests with a different database connection object than Django's.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield


@pytest.fixture
def celery_worker():
    """A real Celery worker (threads) on the configured broker, for the length of one test."""
    from celery.contrib.testing.worker import start_worker

    from coalition.celery import app

    # The ping task the helper waits for comes with celery.contrib.testing.
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=True, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request to /ru/ or /fr/ leaves its language active in the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _outgoing_mail_sent_in_process(monkeypatch, request):
    """After a commit, each queued e-mail is sent in this process instead of by a Celery worker.

    Inside a test's transaction nothing commits: tests call ``coalition.mail.deliver_due()`` (or
    use django_capture_on_commit_callbacks). The hand-off to a real worker is tested on its own
    (tests marked real_worker).
    """
    if "real_worker" in request.keywords:
        return
    from coalition import mail

    monkeypatch.setattr(mail, "_enqueue", mail.deliver_one)
