"""Where uploaded and built files live: this machine's disk, or S3-compatible object storage.

One place decides for every app. Settings build ``STORAGES`` with :func:`storages_setting`; models take
their storage with :func:`storage` (``"default"`` for public files such as champions' photos,
``"private"`` for letters, notices and evidence, ``"events"`` and ``"library"`` for documents of closed
meetings and members-only items, ``"reports"`` for built PDFs).

Without ``STORAGE_URL`` the files stay where they always were (MEDIA_ROOT, PRIVATE_MEDIA_ROOT and its
subfolders, REPORTS_ROOT), so a machine's existing files keep their names. With
``STORAGE_URL=s3://bucket?endpoint_url=https://…&region=…`` every kind goes to the bucket under its own
prefix, each object with the private ACL: nothing there has a public address.

Every file view streams through ``storage.open()`` after its access check, on disk and on S3 alike,
instead of redirecting to a presigned URL: a presigned link works for anyone who holds it until it
expires (forwarded e-mails, browser history, proxies' logs), so the check would no longer be the last
word; and the views keep their own file names and headers. The files are at most a few megabytes.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty

# Local disk: where each kind lives under PRIVATE_MEDIA_ROOT ("default" is MEDIA_ROOT, "reports"
# REPORTS_ROOT). On S3: the prefix of each kind in the bucket.
PRIVATE_SUBDIRS = {"private": "", "events": "events", "library": "library"}
S3_PREFIXES = {"default": "public", "private": "private", "events": "private/events",
               "library": "private/library", "reports": "reports"}
# A presigned URL (the admin's link to a stored file, if any) is good for this many seconds.
PRESIGNED_SECONDS = 300


def storages_setting(storage_url: str) -> dict:
    """The project's entries of the STORAGES setting (all but staticfiles) for ``storage_url``."""
    if not storage_url:
        local = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
        for alias, subdir in PRIVATE_SUBDIRS.items():
            local[alias] = {"BACKEND": "coalition.storage.PrivateFileSystemStorage", "OPTIONS": {"subdir": subdir}}
        local["reports"] = {"BACKEND": "coalition.storage.ReportFileSystemStorage"}
        return local
    options = s3_options(storage_url)
    return {
        alias: {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": prefix}}
        for alias, prefix in S3_PREFIXES.items()
    }


def s3_options(storage_url: str) -> dict:
    """django-storages' S3Storage options from ``s3://[key:secret@]bucket?endpoint_url=…&region=…``.

    Without a key in the URL, boto3 finds one as usual (AWS_ACCESS_KEY_ID…, an instance role).
    Query options: ``endpoint_url``, ``region``, ``addressing_style`` (``path`` for most servers other
    than AWS), ``acl`` (``private`` unless the bucket refuses ACLs: then ``acl=`` leaves it to the bucket).
    """
    from django.core.exceptions import ImproperlyConfigured

    parts = urlsplit(storage_url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured("STORAGE_URL must look like s3://bucket?endpoint_url=…&region=…")
    query = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
    unknown = set(query) - {"endpoint_url", "region", "addressing_style", "acl"}
    if unknown:
        raise ImproperlyConfigured(f"STORAGE_URL: unknown option(s) {', '.join(sorted(unknown))}")
    options = {
        "bucket_name": parts.hostname,
        "default_acl": query.get("acl", "private") or None,
        # Never replace a stored file by another of the same name: each upload keeps its own object.
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": PRESIGNED_SECONDS,
    }
    if query.get("endpoint_url"):
        options["endpoint_url"] = query["endpoint_url"]
    if query.get("region"):
        options["region_name"] = query["region"]
    if query.get("addressing_style"):
        options["addressing_style"] = query["addressing_style"]
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return options


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder of PRIVATE_MEDIA_ROOT: outside MEDIA_ROOT, so no URL of the site leads to it."""

    def __init__(self, subdir: str = "", **options):
        self.subdir = subdir
        super().__init__(**options)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, Path(settings.PRIVATE_MEDIA_ROOT) / self.subdir)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PRIVATE_MEDIA_ROOT", "REPORTS_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def reports_root() -> Path:
    return Path(settings.REPORTS_ROOT or Path(settings.PRIVATE_MEDIA_ROOT) / "reports")


class ReportFileSystemStorage(PrivateFileSystemStorage):
    """Built PDFs, under REPORTS_ROOT; served only by the reports:download view."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, reports_root())

    def url(self, name):
        raise ValueError("Reports have no public URL; they are served by the reports:download view.")


class _Storage(LazyObject):
    """``storages[alias]``, looked up when first used and again after the STORAGES setting changes.

    Model fields keep the object they were given at import; this stands in for the configured one.
    """

    def __init__(self, alias: str):
        super().__init__()
        self.__dict__["alias"] = alias

    def _setup(self):
        self._wrapped = storages[self.__dict__["alias"]]

    def _reset(self):
        self._wrapped = empty


_proxies: dict[str, _Storage] = {}


def storage(alias: str) -> _Storage:
    """The storage for files of one kind (see the module's docstring); the same object each time."""
    if alias not in _proxies:
        _proxies[alias] = _Storage(alias)
    return _proxies[alias]


def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        for proxy in _proxies.values():
            proxy._reset()


setting_changed.connect(_storages_changed, dispatch_uid="coalition_storage_changed")
