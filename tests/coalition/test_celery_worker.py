"""A real worker on the real broker: no eager mode, no mocked transport."""

import pytest

from coalition.tasks import count_countries


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_task_runs_end_to_end_through_broker_and_worker(celery_worker):

    result = count_countries.delay()
    assert result.get(timeout=30) == 194
