"""Build a report's PDF synchronously (the same HTML and WeasyPrint as the Celery task)."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members.models import Country
from reports import rendering, services
from reports.models import Kind, ReportRequest


class Command(BaseCommand):
    help = (
        "Build a PDF report now: annual (--year), profile or certificate (--country ISO3), "
        "Core Group meeting recap (--until, the meeting date). "
        "A certificate is recorded, so its verification code can be checked on the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("--year", type=int)
        parser.add_argument("--country", help="ISO 3166 alpha-3 code, e.g. KAZ")
        parser.add_argument("--until", type=date.fromisoformat, help="a recap's meeting date, YYYY-MM-DD")
        parser.add_argument("--language", default="en", choices=[code for code, _ in settings.LANGUAGES])
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, kind, year, country, language, output, until=None, **options):
        output = Path(output)
        country_obj = None
        if country:
            country_obj = Country.objects.filter(iso3=country.upper()).first()
            if country_obj is None:
                raise CommandError(f"No country with ISO3 code {country!r}.")
        if kind == Kind.ANNUAL and year is None:
            year = timezone.localdate().year - 1
        try:
            if kind == Kind.CERTIFICATE:
                report, _created = services.request_report(
                    kind=kind, language=language, country=country_obj, by=None, enqueue=False)
                services.build_report(report_id=report.pk)
                report = ReportRequest.objects.get(pk=report.pk)
                if report.status != ReportRequest.Status.READY:
                    raise CommandError(f"The certificate was not built ({report.status}): {report.failure_reason}")
                with report.file.open("rb") as source:
                    pdf, pages = source.read(), report.pages
                extra = f", verification code {report.verification_code}"
            else:
                services.check_parameters(kind=kind, language=language, year=year, country=country_obj,
                                           today=timezone.localdate(), until=until)
                if kind == Kind.RECAP:
                    html = rendering.recap_html(until=until, language=language)
                elif kind == Kind.ANNUAL:
                    html = rendering.annual_html(year=year, language=language)
                else:
                    html = rendering.profile_html(country=country_obj, language=language)
                built = rendering.to_pdf(html)
                pdf, pages, extra = built.pdf, built.pages, ""
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({pages} pages{extra})."))
