"""The catalogues of the five UN languages besides English (locale/<language>/LC_MESSAGES/django.po) are complete.

How a new untranslated string is caught: the project's sources and the committed catalogs are
copied to a temporary directory and ``makemessages`` runs there (LOCALE_PATHS pointed at the
copy), exactly as ``make messages`` would in the checkout. A string added to a template or to
Python code comes out of that run with an empty (or fuzzy) ``msgstr``, and the test names it
with the file it came from. The checkout's own catalogs are never written.

Scope, by the source file a msgid comes from (``--add-location=file``):
- PUBLIC_AND_EMAIL: the public pages, the focal points' pages, the labels, choices and messages
  they show (every app's Python code except the admin modules) and every e-mail;
- ADMIN_AND_REPORTS: the secretariat's admin and the PDF reports.
Both are required today; a msgid used in both scopes counts as public.

The .mo files are build output (``make compilemessages``); the session fixture below compiles
them when missing or older than the .po, so ``pytest`` alone works.
"""

import fnmatch
import os
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = ("fr", "ru", "es", "ar", "zh_Hans")
# The same exclusions as `make messages` (makemessages also skips dot-directories itself).
IGNORE = [".venv", "node_modules", "tests", "bench", "test-output", "staticfiles"]

PUBLIC_AND_EMAIL = [
    "templates/base.html",
    "templates/_error.html",
    "templates/account/*.html",
    "templates/allauth/*",
    "templates/404.html",
    "templates/403.html",
    "templates/410.html",
    "templates/500.html",
    "templates/home.html",
    "templates/_filter_form.html",
    "templates/members/*.html",
    "templates/pledges/*.html",
    "templates/events/*.html",
    "templates/announcements/*.html",
    "templates/library/*.html",
    "templates/governance/*.html",
    "templates/api/*.html",
    "templates/emails/*",
    "coalition/*.py",
    "accounts/*.py",
    "members/*.py",
    "pledges/*.py",
    "events/*.py",
    "announcements/*.py",
    "library/*.py",
    "governance/*.py",
    "api/*.py",
]
ADMIN_AND_REPORTS = [
    "templates/admin/*",
    "coalition/templates/*",  # the admin's file widget that says "file missing" (issue 19)
    "events/templates/*",  # the admin's event time widget, which names the event's zone
    "secretariat/*",  # the Today page (the admin index)
    "templates/reports/*",
    "reports/*",
    "*/admin.py",
    "*/admin_*.py",
]
EMAILS = "templates/emails/*"


def in_scope(path, patterns):
    return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)


def scope_of(path):
    """E-mails first (the reports app's too), then admin modules, then the app-wide patterns."""
    if fnmatch.fnmatch(path, EMAILS):
        return "public_and_email"
    if in_scope(path, ADMIN_AND_REPORTS):
        return "admin_and_reports"
    if in_scope(path, PUBLIC_AND_EMAIL):
        return "public_and_email"
    return "other"


# --- A minimal reader for the catalogs gettext writes (no third-party dependency) --------------


class Entry:
    def __init__(self):
        self.occurrences, self.flags = [], set()
        self.msgctxt = None
        self.msgid = self.msgid_plural = self.msgstr = ""
        self.msgstr_plural = {}
        self.obsolete = False


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(line):
    body = line.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def read_po(path):
    """Entries of a .po file (the header entry, msgid "", is left out)."""
    entries, entry, field = [], Entry(), None

    def flush():
        nonlocal entry, field
        if entry.msgid or entry.msgid_plural:
            entries.append(entry)
        entry, field = Entry(), None

    for raw in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#:"):
            entry.occurrences.extend((ref.rsplit(":", 1)[0] if ref.rsplit(":", 1)[-1].isdigit() else ref, "")
                                     for ref in line[2:].split())
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field is None:
                continue
            kind, index = field
            if kind == "msgstr_plural":
                entry.msgstr_plural[index] += _unquote(line)
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + _unquote(line))
        else:
            keyword, _space, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                field = ("msgstr_plural", int(match.group(1)))
                entry.msgstr_plural[field[1]] = _unquote(value)
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                field = (keyword, None)
                setattr(entry, keyword, _unquote(value))
            else:
                raise ValueError(f"{path}: cannot read {raw!r}")
    return entries


def read_header(path):
    text = Path(path).read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    value = "".join(_unquote(line) for line in header.splitlines() if line.startswith('"'))
    return dict(line.split(": ", 1) for line in value.split("\n") if ": " in line), "#, fuzzy" in header


def entry_scope(entry):
    scopes = {scope_of(path) for path, _line in entry.occurrences}
    for scope in ("public_and_email", "admin_and_reports", "other"):
        if scope in scopes:
            return scope
    return "other"


def is_translated(entry):
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(s.strip() for s in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def _copy_ignore(directory, names):
    skip = set()
    for name in names:
        full = Path(directory, name)
        hidden = name.startswith(".") or name == "__pycache__" or (full.parent == BASE_DIR and name in IGNORE)
        if hidden or (full.is_file() and full.suffix not in {".py", ".html", ".txt", ".po"}):
            skip.add(name)
    return skip


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogs as `make messages` would leave them now, built in a copy of the project."""
    copy = tmp_path_factory.mktemp("i18n") / "project"
    shutil.copytree(BASE_DIR, copy, ignore=_copy_ignore)
    for lang in LANGUAGES:
        assert (copy / "locale" / lang / "LC_MESSAGES" / "django.po").exists(), f"locale/{lang} is missing"
    old_cwd = os.getcwd()
    os.chdir(copy)  # makemessages reads the tree below the working directory
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=list(LANGUAGES), add_location="file", ignore_patterns=IGNORE,
                         verbosity=0)
    finally:
        os.chdir(old_cwd)
    return {lang: read_po(copy / "locale" / lang / "LC_MESSAGES" / "django.po") for lang in LANGUAGES}


def _missing(catalogs, scope):
    missing = []
    for lang, po in catalogs.items():
        for entry in po:
            if entry.obsolete or entry_scope(entry) != scope:
                continue
            if not is_translated(entry):
                files = ", ".join(sorted({path for path, _line in entry.occurrences}))
                state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
                missing.append(f"[{lang}] {state}: {entry.msgid!r} ({files})")
    return missing


def test_public_focal_point_and_email_strings_are_translated(extracted):
    assert sum(entry_scope(e) == "public_and_email" for e in extracted["ru"]) > 500
    missing = _missing(extracted, "public_and_email")
    assert not missing, "Translate these in locale/*/LC_MESSAGES/django.po (run `make messages`):\n" + "\n".join(missing)


def test_admin_and_report_strings_are_translated(extracted):
    missing = _missing(extracted, "admin_and_reports")
    assert not missing, "Translate these in locale/*/LC_MESSAGES/django.po (run `make messages`):\n" + "\n".join(missing)


def test_every_extracted_string_has_a_scope(extracted):
    """A msgid from a file neither scope names would escape both tests above: name its file there."""
    stray = sorted({path for e in extracted["ru"] for path, _line in e.occurrences if scope_of(path) == "other"})
    assert not stray, stray


def test_committed_catalogs_are_clean():
    """No fuzzy entries, the right plural forms, and placeholders that msgfmt accepts."""
    plural_forms = {
        "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
        "fr": "nplurals=2; plural=(n > 1);",
        "es": "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
        "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;",
        "zh_Hans": "nplurals=1; plural=0;",
    }
    for lang in LANGUAGES:
        path = BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po"
        metadata, header_fuzzy = read_header(path)
        assert not header_fuzzy
        assert metadata["Language"] == lang
        assert metadata["Plural-Forms"] == plural_forms[lang]
        entries = [e for e in read_po(path) if not e.obsolete]
        assert len(entries) > 900
        assert not [e.msgid for e in entries if "fuzzy" in e.flags]
        assert all(len(e.msgstr_plural) == int(plural_forms[lang][9]) for e in entries if e.msgid_plural)
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=False, capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stderr


# --- The site in Russian and French ----------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """Compile the .mo files when missing or older than the .po (what `make compilemessages` does)."""
    import gettext

    from asgiref.local import Local
    from django.utils.translation import trans_real

    compiled = False
    for lang in LANGUAGES:
        po = BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
            compiled = True
    if compiled:
        # Catalogs already loaded in this process were read without the new .mo files.
        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        yield date(2026, 11, 2)


@pytest.fixture
def site(db, today):
    from events import services as events
    from events.models import Kind
    from tests.factories import member

    member("KZ", since=date(2023, 10, 25))
    events.create_event(
        title="PHC Coalition side event", kind=Kind.WEBINAR, timezone="Asia/Almaty",
        starts_at=datetime(2026, 11, 28, 14, 0), ends_at=datetime(2026, 11, 28, 16, 0),
        online_url="https://meet.example.org/room",
    )


def text(response):
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Коалиция стран по первичной медико-санитарной помощи", "Страны-члены", "Мероприятия",
            "Всемирной ассамблеи здравоохранения", 'lang="ru"']),
    ("fr", ["Coalition des pays pour les soins de santé primaires", "Engagements", "Événements",
            "Assemblée mondiale de la Santé", 'lang="fr"']),
])
def test_home_page(client, site, lang, expected):
    page = text(client.get(f"/{lang}/"))
    for phrase in expected:
        assert phrase in page


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Предстоящие мероприятия", "Вебинар", "28 ноября 2026 г.", "время Asia/Almaty", "Все виды"]),
    ("fr", ["Événements à venir", "Webinaire", "28 novembre 2026", "heure Asia/Almaty", "Tous les types"]),
])
def test_events_list_with_localised_dates(client, site, lang, expected):
    page = text(client.get(f"/{lang}/events/"))
    for phrase in expected:
        assert phrase in page


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Страны-члены", "Найдена 1 страна.", "Европейский регион", "25 октября 2023 г.",
            "Группа по уровню дохода (Всемирный банк)", "Применить"]),
    ("fr", ["Pays membres", "1 pays correspond.", "Région européenne", "25 octobre 2023",
            "Groupe de revenu de la Banque mondiale", "Appliquer"]),
])
def test_member_directory(client, site, lang, expected):
    page = text(client.get(f"/{lang}/members/"))
    for phrase in expected:
        assert phrase in page


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Поборники ПМСП", "В настоящее время поборников нет."]),
    ("fr", ["Champions des SSP", "Aucun champion pour le moment."]),
])
def test_champions(client, site, lang, expected):
    page = text(client.get(f"/{lang}/champions/"))
    for phrase in expected:
        assert phrase in page


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Показатели Коалиции", "Члены по регионам ВОЗ", "2 ноября 2026 г."]),
    ("fr", ["Indicateurs de la Coalition", "Membres par Région de l'OMS", "2 novembre 2026"]),
])
def test_indicators(client, site, lang, expected):
    page = text(client.get(f"/{lang}/indicators/")).replace("&#x27;", "'")
    for phrase in expected:
        assert phrase in page


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Член с", "25 октября 2023 г.", "История членства", "(продлевается автоматически)"]),
    ("fr", ["Membre depuis le", "25 octobre 2023", "Historique de l'adhésion", "(renouvellement automatique)"]),
])
def test_country_page(client, site, lang, expected):
    page = text(client.get(f"/{lang}/countries/kaz/")).replace("&#x27;", "'")
    for phrase in expected:
        assert phrase in page


def test_russian_plural_forms(client, db, today):
    """1 страна, 2 страны, 5 стран: the three Russian forms come from the project's catalog."""
    from django.utils import translation

    with translation.override("ru"):
        forms = [translation.ngettext("%(counter)s country matches.", "%(counter)s countries match.", n)
                 % {"counter": n} for n in (1, 2, 5, 11, 21)]
    assert forms == ["Найдена 1 страна.", "Найдено 2 страны.", "Найдено 5 стран.", "Найдено 11 стран.",
                     "Найдена 21 страна."]
