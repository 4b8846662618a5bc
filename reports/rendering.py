"""HTML for each report (in the report's language) and its PDF, by WeasyPrint.

The PDF depends on nothing outside the project: fonts come from reports/fonts through
``base_url``, and the URL fetcher refuses anything that is not a file in this directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports import charts, selectors
from reports.models import Kind

REPORTS_DIR = Path(__file__).resolve().parent
BASE_URL = REPORTS_DIR.as_uri() + "/"


@dataclass
class Built:
    pdf: bytes
    pages: int


def _fetcher():
    """WeasyPrint's fetcher, limited to data: URLs and the files of this directory (fonts)."""
    from weasyprint.urls import URLFetcher

    class ReportsFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(("data:", BASE_URL)):
                return super().fetch(url, headers)
            raise ValueError(f"Reports may not fetch {url}")

    return ReportsFetcher(allowed_protocols=["file", "data"])


def annual_html(*, year: int, language: str, today: date | None = None) -> str:
    with translation.override(language):
        data = selectors.annual_report_data(year=year, today=today)
        ind = data["indicators"]
        from members.models import IncomeGroup
        from pledges.models import TrackStatus

        status_labels = dict(TrackStatus.choices)
        context = {
            **data,
            "language": language,
            "generated_on": timezone.localdate(),
            "document_title": _("PHC Coalition annual report %(year)s") % {"year": year},
            "running_title": _("PHC Coalition · Annual report %(year)s") % {"year": year},
            "footer_note": _("Primary Health Care Coalition of Countries"),
            "charts": {
                "members_by_region": charts.bar_chart([(str(r["region"]), r["members"]) for r in data["by_region"]]),
                "members_by_income": charts.bar_chart(
                    [(str(label), ind["by_income"].get(value, 0)) for value, label in IncomeGroup.choices]
                    + [(_("Not classified"), ind["by_income"].get("", 0))],
                    color=charts.PALETTE[1],
                ),
                "commitments_by_lever": charts.bar_chart(
                    [(str(r["lever"]), r["commitments"]) for r in data["by_lever"]], width=600, label_width=290,
                    color=charts.PALETTE[2], bar=12, gap=4,
                ),
                "progress": charts.stacked_bar(
                    [(str(status_labels.get(k, k)), v) for k, v in sorted(ind["status_totals"].items())]
                ),
            },
        }
        return render_to_string("reports/pdf/annual.html", context)


def profile_html(*, country, language: str, today: date | None = None) -> str:
    with translation.override(language):
        data = selectors.country_profile_data(country=country, today=today)
        name = country.local_name
        context = {
            **data,
            "language": language,
            "document_title": _("Country profile: %(country)s") % {"country": name},
            "running_title": _("PHC Coalition · Country profile · %(country)s") % {"country": name},
            "footer_note": _("Primary Health Care Coalition of Countries"),
        }
        return render_to_string("reports/pdf/profile.html", context)


def certificate_html(*, report) -> str:
    with translation.override(report.language):
        context = {
            **selectors.certificate_data(report=report),
            "language": report.language,
            "document_title": _("Certificate of membership: %(country)s") % {"country": report.country.local_name},
            "running_title": "",
            "footer_note": "",
        }
        return render_to_string("reports/pdf/certificate.html", context)


def recap_html(*, until: date, language: str, today: date | None = None) -> str:
    from reports import recap

    with translation.override(language):
        data = recap.recap_data(until=until, today=today)
        meeting = date_format(until, "DATE_FORMAT")
        context = {
            **data,
            "language": language,
            "generated_on": timezone.localdate(),
            "document_title": _("Core Group meeting recap: %(date)s") % {"date": meeting},
            "running_title": _("PHC Coalition · Core Group meeting recap · %(date)s") % {"date": meeting},
            "footer_note": _("Primary Health Care Coalition of Countries · for the Core Group"),
        }
        return render_to_string("reports/pdf/recap.html", context)


def html_for(report) -> str:
    if report.kind == Kind.ANNUAL:
        return annual_html(year=report.year, language=report.language)
    if report.kind == Kind.RECAP:
        return recap_html(until=report.until, language=report.language)
    if report.kind == Kind.PROFILE:
        return profile_html(country=report.country, language=report.language)
    return certificate_html(report=report)


def to_pdf(html: str) -> Built:
    """WeasyPrint alone: the part of a build that is not ours."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).render(font_config=fonts)
    return Built(pdf=document.write_pdf(), pages=len(document.pages))
