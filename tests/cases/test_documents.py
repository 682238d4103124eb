"""Documents: type checked on content, size limit, stored outside the web root, downloaded
only through the view that checks the case and the document's confidentiality."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import documents, services
from cases.choices import Confidentiality
from cases.models import Document
from partners.models import User
from tests.cases.case_setup import basis_data, make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
PLAIN_ZIP = _zip({"readme.txt": "hello"})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.fixture
def world():
    return make_world()


@pytest.mark.parametrize(
    "name, content, extension",
    [
        ("rapport.pdf", PDF, "pdf"),
        ("foto.png", PNG, "png"),
        ("foto.jpeg", JPEG, "jpg"),
        ("brief.docx", DOCX, "docx"),
        ("lijst.xlsx", XLSX, "xlsx"),
        ("verslag.odt", ODT, "odt"),
        ("oud.doc", OLE2, "doc"),
        ("oud.xls", OLE2, "xls"),
        ("verkeerde-naam.txt", PDF, "pdf"),  # the content decides, not the name
    ],
)
def test_allowed_types_are_recognised_by_content(name, content, extension):
    detected = documents.detect_type(io.BytesIO(content), name)
    assert detected is not None and detected.extension == extension


@pytest.mark.parametrize(
    "name, content",
    [
        ("nep.pdf", b"<html><script>alert(1)</script></html>"),
        ("programma.docx", b"MZ\x90\x00\x03" + b"\x00" * 60),
        ("archief.docx", PLAIN_ZIP),
        ("installer.doc.msi", OLE2),  # OLE2 but not a Word/Excel/PowerPoint name
        ("kapot.docx", b"PK\x03\x04 not really a zip"),
        ("leeg.pdf", b""),
    ],
)
def test_other_content_is_refused(name, content):
    assert documents.detect_type(io.BytesIO(content), name) is None


def _upload(client, world, name, content, **data):
    user = User.objects.get(pk=client.session["_auth_user_id"])
    payload = {
        "title": "Rapportage",
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        "confidentiality": Confidentiality.ALL_INVOLVED,
        **basis_data(user),
        **data,
    }
    return client.post(reverse("cases:document_upload", args=[world.case.pk]), payload)


def test_upload_stores_under_a_random_name_outside_the_web_root(world, verified_client, media):
    response = _upload(verified_client(world.casemanager), world, "../../etc/rapport.txt", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.original_name == "rapport.pdf"
    assert "rapport" not in document.file.name and document.file.name.endswith(".pdf")
    assert (media / document.file.name).read_bytes() == PDF


def test_disguised_file_is_refused_with_a_message(world, verified_client):
    response = _upload(verified_client(world.casemanager), world, "nep.pdf", b"<html></html>")
    assert response.status_code == 200
    assert "Rapportage" in response.content.decode()  # input kept
    assert not Document.objects.exists()


def test_size_limit_from_settings(world, verified_client, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    response = _upload(verified_client(world.casemanager), world, "groot.pdf", PDF + b"x" * 200)
    assert response.status_code == 200
    assert not Document.objects.exists()
    form = response.context["form"]
    assert form.errors["file"][0].startswith(("The file is too large", "Het bestand is te groot"))


def test_download_is_an_attachment_with_nosniff(world, verified_client):
    _upload(verified_client(world.casemanager), world, "rapport.pdf", PDF)
    document = Document.objects.get()
    response = verified_client(world.police_rep).get(
        reverse("cases:document_download", args=[world.case.pk, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="rapport.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_confidential_document_is_404_for_other_partners(world, verified_client):
    client = verified_client(world.casemanager)
    _upload(client, world, "team.pdf", PDF, title="Alleen team", confidentiality="case_team")
    _upload(
        client,
        world,
        "ggz.pdf",
        PDF,
        title="Alleen GGZ",
        confidentiality="named_organisations",
        visible_to=[world.ggz.pk],
    )
    team_doc = Document.objects.get(title="Alleen team")
    ggz_doc = Document.objects.get(title="Alleen GGZ")
    police = verified_client(world.police_rep)
    body = police.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "Alleen team" not in body and "Alleen GGZ" not in body
    assert "(0)" in body  # the documents count counts visible documents only
    for document in (team_doc, ggz_doc):
        url = reverse("cases:document_download", args=[world.case.pk, document.pk])
        assert police.get(url).status_code == 404
    ggz_url = reverse("cases:document_download", args=[world.case.pk, ggz_doc.pk])
    assert verified_client(world.ggz_rep).get(ggz_url).status_code == 200


def test_media_is_not_served_by_a_url(world, verified_client):
    _upload(verified_client(world.casemanager), world, "rapport.pdf", PDF)
    document = Document.objects.get()
    client = verified_client(world.coordinator)
    for guess in (f"/media/{document.file.name}", f"/{document.file.name}"):
        assert client.get(guess).status_code == 404


def test_service_refuses_upload_from_uninvolved_partner(world):
    upload = SimpleUploadedFile("rapport.pdf", PDF)
    with pytest.raises(PermissionError):
        services.document_add(
            case=world.case,
            by=world.outsider_rep,
            title="x",
            upload=upload,
            confidentiality="all_involved",
        )
    assert not Document.objects.exists()
