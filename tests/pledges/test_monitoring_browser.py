"""A Russian focal point gives indicators and a progress report as numbers in their own format;
the public sees the commitments explorer and the country page, on a phone and on a desktop."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pledges import services
from pledges.models import Indicator, IndicatorValue, Pledge, ProgressReport
from tests.factories import TEST_PASSWORD, StaffFactory, member
from tests.pledges.conftest import make_focal_point, since

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, base, email, password, language="ru"):
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_a_russian_focal_point_reports_numbers_and_the_public_sees_the_way_made(live_server, browser, screenshot_dir):
    base = live_server.url
    kz = member("KZ", since=since()).country
    fp = make_focal_point(kz, email="aigerim@health.kz", language="ru")
    staff = StaffFactory(email="reviewer@example.org")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15000)
    shot = lambda p, name: p.screenshot(path=screenshot_dir / f"monitoring-{name}.png", full_page=True)  # noqa: E731
    sign_in(page, base, fp.email, TEST_PASSWORD)

    # The pledge, written in Russian with a decimal comma; a standard indicator fixes its own unit.
    page.goto(f"{base}/ru/dashboard/")
    page.click("form[action$='/pledge/start/'] button[type=submit]")
    page.wait_for_url("**/edit/")
    page.fill("#id_title", "Первичная помощь каждой семье")
    page.fill("#id_vision", "Каждая семья прикреплена к команде ПМСП рядом с домом.")
    page.fill("#id_commitments-0-description", "Снизить долю личных расходов населения на здравоохранение до 20 процентов.")
    page.check("input[name='commitments-0-strategic_levers'][value='funding']")
    page.check("input[name='commitments-0-components'][value='integrated_services']")
    page.fill("#id_commitments-0-target_date", (timezone.localdate() + timedelta(days=900)).isoformat())
    page.fill("#id_commitments-0-responsible_institution", "Министерство здравоохранения")
    page.fill("#id_commitments-0-budget", "12 млрд тенге, республиканский бюджет")
    page.fill("#id_commitments-0-indicators-0-name", "Доля личных расходов в расходах на здравоохранение")
    page.fill("#id_commitments-0-indicators-0-baseline_value", "40,5")
    page.fill("#id_commitments-0-indicators-0-baseline_year", "2022")
    page.fill("#id_commitments-0-indicators-0-target_value", "20")
    page.fill("#id_commitments-0-indicators-0-target_year", "2030")
    page.fill("#id_commitments-0-indicators-0-source", "Национальные счета здравоохранения")
    shot(page, "01-ru-indicator-form-phone")
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert page.input_value("#id_commitments-0-indicators-0-baseline_value") == "40,5"
    indicator = Indicator.objects.get()
    assert indicator.baseline_value == Decimal("40.5") and indicator.unit == "percent"
    # A number that is not one: refused in Russian, nothing else typed is lost.
    page.fill("#id_commitments-0-indicators-0-target_value", "двадцать")
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert "Введите число" in page.content()
    assert page.input_value("#id_title") == "Первичная помощь каждой семье"
    shot(page, "02-ru-number-refused-phone")
    page.fill("#id_commitments-0-indicators-0-target_value", "20")
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r".*/ru/pledges/\d+/$"))
    pledge = Pledge.objects.get()
    assert pledge.status == Pledge.Status.SUBMITTED
    services.accept_pledge(pledge=pledge, by=staff)
    services.publish_pledge(pledge=pledge, by=staff)

    # The yearly report: the value in Russian format, the year it refers to, the completion and the story.
    report = services.start_progress_report(pledge=pledge, by=fp)
    page.goto(f"{base}/ru/progress/{report.pk}/edit/")
    entry = report.entries.get()
    prefix = f"c{entry.commitment_id}"
    page.fill(f"#id_{prefix}-i{indicator.pk}-value", "30,25")
    page.fill(f"#id_{prefix}-i{indicator.pk}-year", "2026")
    page.select_option(f"#id_{prefix}-completion", "substantial")
    page.fill(f"#id_{prefix}-narrative", "Введены бесплатные лекарства в ПМСП.")
    page.fill(f"#id_{prefix}-barriers", "Нехватка фармацевтов в сёлах.")
    page.fill(f"#id_{prefix}-evidence", "not a link")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "не веб-адрес" in page.content() or "web address" in page.content()
    assert page.input_value(f"#id_{prefix}-i{indicator.pk}-value") == "30,25"
    page.fill(f"#id_{prefix}-evidence", "https://www.gov.kz/memleket/entities/dsm")
    shot(page, "03-ru-progress-form-phone")
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r".*/ru/progress/\d+/$"))
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert IndicatorValue.objects.get().value == Decimal("30.25")
    services.publish_progress_report(report=report, by=staff)
    context.close()

    # The public, without JavaScript: 40,5 → 20 at 30,25 is 50% of the way (10,25 of 20,5).
    for width, name in [(390, "phone"), (1280, "desktop")]:
        public = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500,
                                     java_script_enabled=False)
        view = public.new_page()
        view.goto(f"{base}/ru/pledges/")
        html = view.content()
        assert "Снизить долю личных расходов" in html and "50% пути к цели" in html.replace("\xa0", " ")
        assert view.locator(".indicator-chart svg").count() == 1
        assert view.evaluate("() => document.documentElement.scrollWidth") <= width
        shot(view, f"04-ru-explorer-{name}")
        view.goto(f"{base}/ru/countries/kaz/")
        text = view.inner_text("main")
        shot(view, f"05-ru-country-{name}")
        assert "30,25" in text and "40,5" in text and "aigerim@health.kz" not in view.content()
        wide = view.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)""")
        assert view.evaluate("() => document.documentElement.scrollWidth") <= width, wide
        public.close()
