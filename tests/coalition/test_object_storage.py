"""Files on S3-compatible object storage (STORAGE_URL), against a real S3 server (moto's) started here."""

import io
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coalition import storage as file_storage
from members.models import Country, LetterOfInterest
from tests.factories import member
from tests.members.pdfs import MINIMAL_PDF

BUCKET = "coalition-files"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh bucket, and the settings of a site whose STORAGE_URL names it."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                          aws_access_key_id="test-key", aws_secret_access_key="test-secret")
    client.create_bucket(Bucket=BUCKET)
    url = f"s3://test-key:test-secret@{BUCKET}?endpoint_url={s3_server}&region=us-east-1&addressing_style=path"
    settings.STORAGE_URL = url
    settings.STORAGES = {**file_storage.storages_setting(url), "staticfiles": settings.STORAGES["staticfiles"]}
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for obj in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client, prefix=""):
    return [obj["Key"] for obj in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]


def _anonymous_get(s3_server, key) -> int:
    try:
        with urllib.request.urlopen(f"{s3_server}/{BUCKET}/{key}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _assert_private(client, s3_server, key):
    assert _anonymous_get(s3_server, key) == 403
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")], grants


@pytest.mark.django_db
def test_a_letter_uploaded_in_the_admin_is_a_private_object_read_back_through_the_file_view(
    client, staff, bucket, s3_server,
):
    client.force_login(staff)
    response = client.post(reverse("admin:members_letterofinterest_add"), {
        "country": Country.objects.get(iso2="GH").pk, "received_on": timezone.localdate().isoformat(),
        "contact_name": "Dr Ama Mensah", "contact_title": "Director, PHC", "contact_email": "ama@health.gh",
        "contact_phone": "+233 30 000 0000", "contact_language": "en",
        "letter": SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = LetterOfInterest.objects.get()
    key = f"private/{letter.letter.name}"
    assert _keys(bucket) == [key]
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == MINIMAL_PDF
    _assert_private(bucket, s3_server, key)
    # Nothing on this machine's disk: the storage is the bucket.
    assert type(letter.letter.storage._wrapped).__name__ == "S3Storage"

    response = client.get(reverse("members:letter-file", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    # The access check still decides: signed out, the file view asks to sign in and gives no bytes.
    client.logout()
    response = client.get(reverse("members:letter-file", args=[letter.pk]))
    assert response.status_code == 302 and not getattr(response, "streaming", False)


@pytest.mark.django_db
def test_a_built_report_goes_to_the_reports_prefix_and_downloads_from_there(
    client, staff, bucket, s3_server, django_capture_on_commit_callbacks,
):
    from reports import services

    kz = member("KZ").country
    report, _ = services.request_report(kind="certificate", country=kz, language="en", by=staff, enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.build_report(report_id=report.pk) == "ready"
    report.refresh_from_db()
    key = f"reports/{report.file.name}"
    assert _keys(bucket, "reports/") == [key]
    stored = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored.startswith(b"%PDF")
    _assert_private(bucket, s3_server, key)

    client.force_login(staff)
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored


@pytest.mark.django_db
def test_a_champions_photo_is_stored_under_the_public_prefix_and_still_served_by_the_site(client, bucket, s3_server):
    from PIL import Image

    from members import core_group
    from members.models import Champion

    out = io.BytesIO()
    Image.new("RGB", (300, 300), (11, 92, 140)).save(out, format="JPEG")
    champion = core_group.save_champion(
        champion=Champion(name="H.E. Example", title="Minister", country=Country.objects.get(iso2="KZ")),
        photo=SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg"),
    )
    key = f"public/{champion.photo.name}"
    assert _keys(bucket) == [key]
    _assert_private(bucket, s3_server, key)  # even public files are read through the site's view
    response = client.get(reverse("members:champion-photo", args=[champion.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_without_a_storage_url_files_stay_on_this_machines_disk(settings, tmp_path):
    settings.STORAGES = {**file_storage.storages_setting(""), "staticfiles": settings.STORAGES["staticfiles"]}
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.REPORTS_ROOT = ""
    assert file_storage.storage("private").location == str(tmp_path / "private")
    assert file_storage.storage("events").location == str(tmp_path / "private" / "events")
    assert file_storage.storage("library").location == str(tmp_path / "private" / "library")
    assert file_storage.storage("reports").location == str(tmp_path / "private" / "reports")
    with pytest.raises(ValueError):
        file_storage.storage("reports").url("2026/01/x.pdf")


@pytest.mark.parametrize("url", ["ftp://bucket", "s3://", "s3://bucket?endpoint=http://x"])
def test_a_storage_url_that_cannot_work_is_refused_at_start(url):
    with pytest.raises(ImproperlyConfigured):
        file_storage.storages_setting(url)


def test_the_storage_url_gives_the_bucket_its_endpoint_region_and_private_acl():
    options = file_storage.s3_options("s3://k%2F1:s%40cret@files?endpoint_url=https://s3.example.org&region=eu-west-3")
    assert options["bucket_name"] == "files" and options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "eu-west-3" and options["default_acl"] == "private"
    assert options["access_key"] == "k/1" and options["secret_key"] == "s@cret"
    assert options["file_overwrite"] is False
    assert file_storage.s3_options("s3://files?acl=")["default_acl"] is None
