"""Numbers are typed and shown in the reader's language: 3,2 in Russian and French, 3.2 in English."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from pledges import display, services
from pledges.models import Indicator, IndicatorValue, Pledge
from tests.pledges.conftest import fill, indicator, publish
from tests.pledges.test_views import as_, formset_data

pytestmark = pytest.mark.django_db

FIRST = "commitments-0-indicators-0"


@pytest.fixture
def draft(kz, kz_fp):
    pledge = services.start_pledge(country=kz, by=kz_fp)
    return fill(pledge, kz_fp)


def in_language(url, language):
    assert url.startswith("/en/")
    return f"/{language}/" + url[len("/en/"):]


def first_indicator(pledge):
    return Indicator.objects.filter(commitment__pledge=pledge).order_by("commitment__position", "position").first()


@pytest.mark.parametrize("language, baseline, target", [
    ("ru", "3,2", "12,5"),
    ("fr", "3,2", "12,5"),
    ("en", "3.2", "12.5"),
])
def test_edit_form_takes_numbers_in_the_readers_format(client, kz_fp, draft, language, baseline, target):
    url = in_language(reverse("pledges:edit", args=[draft.pk]), language)
    data = formset_data(draft, **{f"{FIRST}-baseline_value": baseline, f"{FIRST}-target_value": target})
    response = as_(client, kz_fp).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == url
    stored = first_indicator(draft)
    assert stored.name == "Share of residents registered"
    assert stored.baseline_value == Decimal("3.2") and stored.target_value == Decimal("12.5")
    # The other commitment's indicator is as it was.
    other = Indicator.objects.get(name="PHC share of government health expenditure")
    assert (other.baseline_value, other.target_value) == (Decimal(30), Decimal(45))


def test_edit_page_in_russian_shows_the_stored_number_back_with_a_comma(client, kz_fp, draft):
    stored = first_indicator(draft)
    stored.baseline_value, stored.target_value = Decimal("3.2"), Decimal("12.5")
    stored.save()
    html = as_(client, kz_fp).get(in_language(reverse("pledges:edit", args=[draft.pk]), "ru")).content.decode()
    assert f'name="{FIRST}-baseline_value" value="3,2"' in html
    assert f'name="{FIRST}-target_value" value="12,5"' in html


def test_a_number_survives_a_round_trip_through_the_russian_edit_page(client, kz_fp, draft):
    """What the page shows, posted back unchanged, is the same number."""
    stored = first_indicator(draft)
    stored.baseline_value = Decimal("3.2")
    stored.save()
    url = in_language(reverse("pledges:edit", args=[draft.pk]), "ru")
    response = as_(client, kz_fp).get(url)
    shown = response.context["formset"].forms[0].indicators.forms[0]["baseline_value"].value()
    html = response.content.decode()
    start = html.index(f'name="{FIRST}-baseline_value" value="') + len(f'name="{FIRST}-baseline_value" value="')
    typed = html[start:html.index('"', start)]
    assert client.post(url, formset_data(draft, **{f"{FIRST}-baseline_value": typed})).status_code == 302
    assert first_indicator(draft).baseline_value == Decimal("3.2"), (shown, typed)


def test_an_invalid_number_is_refused_and_nothing_is_saved(client, kz_fp, draft):
    url = reverse("pledges:edit", args=[draft.pk])
    data = formset_data(draft, title="A title that must not be saved", **{f"{FIRST}-baseline_value": "abc"})
    response = as_(client, kz_fp).post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a number." in html
    assert "Some fields need correcting; nothing was saved yet." in html
    form = response.context["formset"].forms[0].indicators.forms[0]
    assert form.errors["baseline_value"] == ["Enter a number."]
    draft.refresh_from_db()
    assert draft.title == "Health for all families"
    assert first_indicator(draft).baseline_value == Decimal(60)


def test_an_invalid_number_in_russian_is_refused(client, kz_fp, draft):
    url = in_language(reverse("pledges:edit", args=[draft.pk]), "ru")
    response = as_(client, kz_fp).post(url, formset_data(draft, **{f"{FIRST}-target_value": "12,5,1"}))
    assert response.status_code == 200
    assert "target_value" in response.context["formset"].forms[0].indicators.forms[0].errors
    assert first_indicator(draft).target_value == Decimal(95)


def test_a_yes_no_indicator_refuses_2(client, kz_fp, draft):
    url = reverse("pledges:edit", args=[draft.pk])
    data = formset_data(draft, **{f"{FIRST}-unit": "yes_no", f"{FIRST}-baseline_value": "0",
                                  f"{FIRST}-target_value": "2"})
    response = as_(client, kz_fp).post(url, data)
    assert response.status_code == 200
    assert "For a yes/no indicator, write 1 for yes and 0 for no." in response.content.decode()
    form = response.context["formset"].forms[0].indicators.forms[0]
    assert list(form.errors) == ["target_value"]
    stored = first_indicator(draft)
    assert stored.unit == "percent" and stored.target_value == Decimal(95)
    # 0 and 1 are taken.
    data[f"{FIRST}-target_value"] = "1"
    assert client.post(url, data).status_code == 302
    stored = first_indicator(draft)
    assert (stored.unit, stored.baseline_value, stored.target_value) == ("yes_no", Decimal(0), Decimal(1))


def test_the_service_refuses_2_for_a_yes_no_indicator(kz_fp, draft):
    from tests.pledges.conftest import COMMITMENTS

    commitments = [dict(COMMITMENTS[0], indicators=[indicator("Law adopted", 0, 2, unit="yes_no")])]
    with pytest.raises(ValidationError):
        fill(draft, kz_fp, commitments=commitments)
    assert not Indicator.objects.filter(name="Law adopted").exists()
    assert first_indicator(draft).name == "Share of residents registered"


# --- Progress reports ----------------------------------------------------------------------------------


@pytest.fixture
def report(kz, kz_fp, secretariat):
    pledge = publish(kz, kz_fp, secretariat)
    assert pledge.status == Pledge.Status.PUBLISHED
    return services.start_progress_report(pledge=pledge, by=kz_fp)


def progress_data(report, **changes):
    data = {}
    for e in report.entries.select_related("commitment"):
        data.update({f"c{e.commitment_id}-completion": "substantial", f"c{e.commitment_id}-narrative": "Under way."})
        for i in e.commitment.indicators.all():
            data.update({f"c{e.commitment_id}-i{i.pk}-value": "", f"c{e.commitment_id}-i{i.pk}-year": str(report.year)})
    data.update(changes)
    return data


def registered(report):
    return Indicator.objects.get(commitment__pledge=report.pledge, name="Share of residents registered")


def test_progress_edit_takes_a_comma_in_french(client, kz_fp, report):
    ind = registered(report)
    url = in_language(reverse("pledges:progress-edit", args=[report.pk]), "fr")
    response = as_(client, kz_fp).post(url, progress_data(report, **{f"c{ind.commitment_id}-i{ind.pk}-value": "30,5"}))
    assert response.status_code == 302 and response["Location"] == url
    value = IndicatorValue.objects.get(report=report)
    assert value.indicator == ind and value.value == Decimal("30.5") and value.year == report.year
    # And shown back the French way.
    html = client.get(url).content.decode()
    assert f'name="c{ind.commitment_id}-i{ind.pk}-value" value="30,5"' in html


def test_progress_edit_refuses_an_invalid_number_and_saves_nothing(client, kz_fp, report):
    ind = registered(report)
    url = reverse("pledges:progress-edit", args=[report.pk])
    data = progress_data(report, **{f"c{ind.commitment_id}-i{ind.pk}-value": "abc",
                                    f"c{ind.commitment_id}-narrative": "Must not be saved."})
    response = as_(client, kz_fp).post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a number." in html and "Some fields need correcting; nothing was saved yet." in html
    assert not IndicatorValue.objects.filter(report=report).exists()
    assert not report.entries.filter(narrative="Must not be saved.").exists()


# --- Display ---------------------------------------------------------------------------------------------


def test_display_number_follows_the_active_language():
    with translation.override("ru"):
        assert display.number(Decimal("3.2")) == "3,2"
        assert display.number(Decimal("3.2000")) == "3,2"
    with translation.override("fr"):
        assert display.number(Decimal("12.5")) == "12,5"
    with translation.override("en"):
        assert display.number(Decimal("3.2")) == "3.2"
        assert display.number(Decimal("3.2000")) == "3.2"
        assert display.number(Decimal("50.0")) == "50"
        assert display.number(None) == "—"
