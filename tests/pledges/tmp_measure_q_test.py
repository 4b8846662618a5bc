import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import member
from tests.pledges.conftest import make_focal_point, publish, since
from tests.pledges.test_monitoring_views import report_on

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("countries", [2, 6])
def test_measure(client, secretariat, countries):
    for iso2 in ["KZ", "FR", "GH", "BR", "VN", "IN"][:countries]:
        country = member(iso2, since=since()).country
        fp = make_focal_point(country)
        pledge = publish(country, fp, secretariat)
        report_on(pledge, fp, secretariat, {"Share of residents registered": 70, "PHC share of government health expenditure": 40})
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("pledges:list"))
    print("COUNT", countries, len(ctx.captured_queries))
    for q in ctx.captured_queries: print("  ", q["sql"][:150])
