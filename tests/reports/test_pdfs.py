"""What the PDFs say, in each language, read back with pdftotext and pypdf."""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from reports import rendering
from reports.models import ReportRequest
from tests.reports.conftest import OUTPUT, pdf_fonts, pdf_text


def _annual(language):
    return rendering.to_pdf(rendering.annual_html(year=2025, language=language))


def _pngs(pdf: bytes, stem: str, first: int, last: int):
    """Pages as PNGs in test-output/, for people to look at (the README shows one)."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{stem}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(last), str(path), str(OUTPUT / stem)],
                   check=True)


def test_annual_report_in_english_has_every_chapter_and_the_year(world):
    built = _annual("en")
    pages = pdf_text(built.pdf, pages=True)
    text = "\n".join(pages)
    assert "Annual report 2025" in pages[0]
    assert "Contents" in pages[1]
    for chapter in ["The year in brief", "Coalition indicators", "Members", "The Core Group and co-leads",
                    "Champions", "Pledges and progress", "Events held"]:
        assert chapter in pages[1]
    # Changes in the year: France acceded, Switzerland renewed, Germany gave notice, Italy's membership ended.
    accessions = text[text.index("Accessions"):text.index("Renewals")]
    assert "France" in accessions and "Kazakhstan" not in accessions
    renewals = text[text.index("Renewals"):text.index("Notices of termination")]
    assert "Switzerland" in renewals and "10 May 2025" in renewals
    notices = text[text.index("Notices of termination"):text.index("Terminations")]
    assert "Germany" in notices and "1 Jan 2026" in notices
    terminations = text[text.index("Terminations"):text.index("Member countries at the end of the year\n")]
    assert "Italy" in terminations and "1 Apr 2025" in terminations
    member_list = text[text.index("Member countries at the end of the year\n"):text.index("The Core Group and co-leads\n")]
    assert {"France", "Germany", "Kazakhstan"} <= set(re.findall(r"[A-Z][a-z]+", member_list))
    assert "Italy" not in member_list
    assert "Knowledge exchange" in text and "Aigerim Example" in text
    assert "WHA78 side event" in text and "Palais des Nations" in text
    assert "Health for all families" in text  # Kazakhstan's published pledge
    # Headers and footers on content pages, not on the cover.
    assert "PHC Coalition · Annual report 2025" in pages[3] and re.search(rf"\b4 ?/ ?{built.pages}\b", pages[3])
    assert "Annual report 2025" not in pages[0].replace("Annual report 2025", "", 1)
    assert not re.search(rf"\b1 ?/ ?{built.pages}\b", pages[0])


def test_table_of_contents_gives_the_pages_where_chapters_start(world):
    built = _annual("en")
    pages = pdf_text(built.pdf, pages=True)
    toc = pages[1]
    for chapter in ["The year in brief", "Members", "Champions", "Events held"]:
        number = int(re.search(rf"^\s*{re.escape(chapter)}[ .]+(\d+)\s*$", toc, re.MULTILINE).group(1))
        # The running header names the chapter on the page it starts.
        assert chapter in pages[number - 1].splitlines()[0] or chapter in pages[number - 1][:400], chapter
        assert number > 2


def test_fonts_are_the_shipped_dejavu_fonts_embedded(world):
    # Only the @font-face families (DejaVu files from reports/fonts), never a system font.
    fonts = pdf_fonts(_annual("en").pdf)
    assert fonts and all("+Report-" in name for name in fonts), fonts


def test_russian_edition_renders_cyrillic(world):
    built = _annual("ru")
    text = pdf_text(built.pdf)
    # Dates are localized: month names in the genitive, as Russian writes them.
    assert "10 мая 2025" in text
    assert "января 2025" in text
    assert re.search(r"[А-Яа-я]{4,}", text)
    assert all("+Report-" in name for name in pdf_fonts(built.pdf))
    _pngs(built.pdf, "report-annual-ru", 1, 2)


def test_french_edition_localizes_dates(world):
    built = _annual("fr")
    text = pdf_text(built.pdf)
    assert "10 mai 2025" in text and "1 janvier 2026" in text


def test_english_cover_and_contents_as_png(world):
    built = _annual("en")
    _pngs(built.pdf, "report-annual-en", 1, 4)
    assert (OUTPUT / "report-annual-en-1.png").exists()


def test_country_profile_shows_membership_pledge_progress_and_participation(world):
    for language, expect in [("en", ["Member since 10 May 2021", "Achieved", "On track"]),
                             ("ru", ["10 мая 2021"]), ("fr", ["10 mai 2021"])]:
        built = rendering.to_pdf(rendering.profile_html(country=world.kz, language=language))
        text = pdf_text(built.pdf)
        assert "Kazakhstan" in text or "Казахстан" in text
        assert "Health for all families" in text  # pledge title
        assert "Register every resident" in text  # a commitment
        assert "WHA78 side event" in text  # participation
        for phrase in expect:
            assert phrase in text, (language, phrase)


def test_profile_of_a_country_that_is_not_a_member(world):
    from members.models import Country

    text = pdf_text(rendering.to_pdf(rendering.profile_html(country=Country.objects.get(iso2="BR"), language="en")).pdf)
    assert "Not a member of the Coalition at present" in text
    assert "No published pledge" in text


@pytest.mark.parametrize("language,phrase", [
    ("en", "Kazakhstan"), ("ru", "ноября 2025"), ("fr", "novembre 2025"),
])
def test_certificate_is_one_page_with_the_term_and_a_verification_code(world, language, phrase, tmp_path):
    from reports import services

    report, _ = services.request_report(kind="certificate", language=language, country=world.kz, by=world.staff,
                                        enqueue=False)
    assert services.build_report(report_id=report.pk) == "ready"
    report.refresh_from_db()
    with report.file.open("rb") as f:
        data = f.read()
    _pngs(data, f"report-certificate-{language}", 1, 1)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1 == report.pages
    text = pdf_text(data)
    assert report.verification_code in text
    assert f"/{language}/reports/verify/{report.verification_code}/" in text
    assert phrase in text
    assert "2026" in text  # Kazakhstan's first term: 10 May 2021 to 10 May 2026
    if language == "en":
        assert "Kazakhstan" in text and "10 May 2021" in text and "10 May 2026" in text


def test_build_report_command_writes_each_kind(world, tmp_path):
    out = tmp_path / "annual.pdf"
    call_command("build_report", "annual", "--year", "2025", "--language", "ru", "--output", str(out))
    assert "Годовой" in pdf_text(out.read_bytes()) or "2025" in pdf_text(out.read_bytes())
    assert pdf_text(out.read_bytes(), pages=True)[1].strip()  # a contents page

    out = tmp_path / "profile.pdf"
    call_command("build_report", "profile", "--country", "kaz", "--output", str(out))
    assert "Health for all families" in pdf_text(out.read_bytes())

    out = tmp_path / "certificate.pdf"
    call_command("build_report", "certificate", "--country", "KAZ", "--language", "fr", "--output", str(out))
    certificate = ReportRequest.objects.get(kind="certificate", country=world.kz)
    assert certificate.status == "ready"
    assert certificate.verification_code in pdf_text(out.read_bytes())


def test_build_report_command_refuses_what_cannot_be_built(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a member"):
        call_command("build_report", "certificate", "--country", "BRA", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="No country"):
        call_command("build_report", "profile", "--country", "XXX", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("language, expect", [
    # (pdftotext splits the lam-alef ligature, so the phrases avoid it)
    ("ar", ["كازاخستان", "الموجز القطري"]),
    ("zh-hans", ["哈萨克斯坦", "初级卫生保健"]),
    ("es", ["Kazajistán", "Atención Primaria de Salud"]),
])
def test_country_profile_in_arabic_chinese_and_spanish(world, language, expect):
    built = rendering.to_pdf(rendering.profile_html(country=world.kz, language=language))
    text = pdf_text(built.pdf)
    for phrase in expect:
        assert phrase in text, (language, phrase)
    (OUTPUT / f"profile-{language}.pdf").write_bytes(built.pdf)


@pytest.mark.parametrize("language, title, country", [
    ("ar", "التقرير السنوي لعام 2025", "كازاخستان"), ("zh-hans", "2025 年年度报告", "哈萨克斯坦"),
])
def test_annual_report_in_arabic_and_chinese(world, language, title, country):
    built = _annual(language)
    _pngs(built.pdf, f"annual-{language}", 1, 2)
    # pdftotext wraps right-to-left runs in bidi controls; the words are what count.
    pages = [re.sub("[\u202a-\u202e\u2066-\u2069]", "", page) for page in pdf_text(built.pdf, pages=True)]
    assert title in re.sub(r"\s+", " ", pages[0])
    assert country in "".join(pages)
