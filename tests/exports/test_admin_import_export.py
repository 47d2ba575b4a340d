"""The admin's import (preview, then confirm), export, and "Export as Anki deck", as carol (staff) uses them."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concepts.models import Question, Topic
from concepts.resources import QuestionResource, export_text
from tests.exports.conftest import read_apkg

pytestmark = pytest.mark.django_db

CSV, JSON = "0", "1"  # the format choices' values, in the order of concepts.resources.FORMATS


@pytest.fixture
def authored(content, client, carol):
    client.force_login(carol)
    return client


def _question_csv(**changes) -> bytes:
    rows = list(csv.DictReader(io.StringIO(export_text(QuestionResource))))
    for row in rows:
        row.update(changes.get(row["slug"], {}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _upload(client, data: bytes, fmt=CSV, name="questions.csv"):
    return client.post(reverse("admin:concepts_question_import"),
                       {"format": fmt, "import_file": SimpleUploadedFile(name, data)})


def test_the_change_lists_offer_import_and_export(authored):
    for model in ("topic", "concept", "question"):
        html = authored.get(reverse(f"admin:concepts_{model}_changelist")).content.decode()
        assert reverse(f"admin:concepts_{model}_import") in html
        assert reverse(f"admin:concepts_{model}_export") in html


def test_an_upload_is_previewed_first_and_written_only_when_confirmed(authored):
    data = _question_csv(**{"mini-tf": {"prompt_en": "Edited in a spreadsheet"}})
    preview = _upload(authored, data)
    assert preview.status_code == 200 and preview.context["confirm_form"] is not None
    assert preview.context["result"].totals["update"] == 5
    assert Question.objects.get(slug="mini-tf").prompt_en != "Edited in a spreadsheet"  # a dry run

    confirm = preview.context["confirm_form"].initial
    done = authored.post(reverse("admin:concepts_question_process_import"), confirm)
    assert done.status_code == 302
    assert Question.objects.get(slug="mini-tf").prompt_en == "Edited in a spreadsheet"


def test_an_invalid_upload_shows_each_row_and_field_and_offers_no_confirm(authored):
    data = _question_csv(**{"mini-single": {"choice2_correct": "true"}, "mini-tf": {"concept": "nope"},
                            "mini-multiple": {"prompt_en": "A valid edit"}})
    response = _upload(authored, data)
    html = response.content.decode()
    assert "confirm_form" not in response.context
    assert "A single-choice question needs exactly one correct choice (has 2)." in html
    assert "There is no concept with the slug &#x27;nope&#x27;." in html
    invalid = {row.number: set(row.field_specific_errors) for row in response.context["result"].invalid_rows}
    assert invalid == {1: {"choices"}, 3: {"concept"}}
    assert not Question.objects.filter(prompt_en="A valid edit").exists()


def test_an_abandoned_or_refused_upload_leaves_no_file_behind(authored, private_tempdir):
    _upload(authored, _question_csv())                                        # previewed, never confirmed
    _upload(authored, _question_csv(**{"mini-tf": {"concept": "nope"}}))      # refused
    assert list(private_tempdir.iterdir()) == []


def test_json_files_import_too(authored):
    data = export_text(QuestionResource, "json").replace("ReLU(-2)?", "ReLU(-3)?").encode()
    preview = _upload(authored, data, fmt=JSON, name="questions.json")
    authored.post(reverse("admin:concepts_question_process_import"), preview.context["confirm_form"].initial)
    assert Question.objects.get(slug="mini-single").prompt_en == "ReLU(-3)?"


def test_questions_export_as_csv_with_the_flat_columns(authored):
    response = authored.post(reverse("admin:concepts_question_export"), {"format": CSV, **{
        f"questionresource_{name}": "on" for name in QuestionResource().get_export_order()}})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header = response.content.decode().splitlines()[0]
    assert header.startswith("slug,concept,order,kind") and "choice1_correct" in header


def test_staff_who_may_only_view_questions_cannot_import(content, client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(viewer)
    assert client.get(reverse("admin:concepts_question_import")).status_code == 403
    assert client.get(reverse("admin:concepts_question_export")).status_code == 200


def test_the_anki_action_asks_for_the_language_then_sends_the_deck(authored, tmp_path):
    topic = Topic.objects.get(slug="mini")
    changelist = reverse("admin:concepts_topic_changelist")
    selection = {"action": "export_anki_deck", "_selected_action": [topic.pk]}
    page = authored.post(changelist, selection)
    assert page.status_code == 200 and 'name="lang"' in page.content.decode()

    response = authored.post(changelist, {**selection, "lang": "en", "questions": "on"})
    assert response["Content-Disposition"] == 'attachment; filename="dlprep-mini-en.apkg"'
    assert read_apkg(response.content, tmp_path).execute("SELECT count(*) FROM notes").fetchone() == (7,)
