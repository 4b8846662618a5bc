"""A real worker on the real broker: no eager mode, no mocked transport."""

import pytest
from celery.contrib.testing.worker import start_worker

from coalition.celery import app
from coalition.tasks import count_countries


@pytest.fixture
def celery_worker():
    # The ping task the helper waits for comes with celery.contrib.testing.
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=True, shutdown_timeout=10) as worker:
        yield worker


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_task_runs_end_to_end_through_broker_and_worker(celery_worker):

    result = count_countries.delay()
    assert result.get(timeout=30) == 194
