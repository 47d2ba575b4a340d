"""Anki export: the .apkg read back as an Anki collection, stable ids, formulas for MathJax, no temp files."""

import html
import json

import genanki
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from concepts import anki
from concepts.content import load_content
from concepts.models import Concept, Question, Status
from tests.exports.conftest import read_apkg

pytestmark = pytest.mark.django_db


def _notes(data, tmp_path) -> dict[str, tuple[str, list[str]]]:
    """slug -> (guid, fields) of every note in the package."""
    db = read_apkg(data, tmp_path)
    rows = db.execute("SELECT guid, flds FROM notes").fetchall()
    return {flds.split("\x1f")[-1]: (guid, flds.split("\x1f")) for guid, flds in rows}


def test_the_package_is_an_anki_collection_with_one_note_and_card_per_published_concept(content, tmp_path):
    db = read_apkg(anki.export_anki(mode="both").content, tmp_path)
    assert db.execute("SELECT count(*) FROM notes").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM cards").fetchone() == (2,)
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    assert "DL Interview Prep::미니 / Mini" in {d["name"] for d in decks.values()}


def test_questions_are_added_as_one_note_each_when_asked(content, tmp_path):
    notes = _notes(anki.export_anki(mode="en", questions=True).content, tmp_path)
    assert set(notes) == {"mini-relu", "mini-sigmoid", "mini-single", "mini-multiple", "mini-tf", "mini-numeric",
                          "mini-short"}


def test_draft_concepts_and_questions_are_left_out(content, tmp_path):
    Concept.objects.filter(slug="mini-sigmoid").update(status=Status.DRAFT)
    Question.objects.filter(slug="mini-tf").update(status=Status.DRAFT)
    notes = _notes(anki.export_anki(mode="ko", questions=True).content, tmp_path)
    assert "mini-sigmoid" not in notes and "mini-tf" not in notes and "mini-relu" in notes


def test_note_guids_deck_and_model_ids_are_the_same_in_every_export(content, tmp_path):
    first, second = (read_apkg(anki.export_anki(mode="both").content, tmp_path) for _ in range(2))
    query = "SELECT guid, mid FROM notes ORDER BY guid"
    assert first.execute(query).fetchall() == second.execute(query).fetchall()
    assert (first.execute("SELECT did FROM cards").fetchall()
            == second.execute("SELECT did FROM cards").fetchall())
    guids = {g for (g,) in first.execute("SELECT guid FROM notes")}
    assert genanki.guid_for("dlprep", "mini-relu", "both") in guids


def test_an_edited_card_keeps_its_guid_so_anki_updates_it(content, tmp_path):
    before = _notes(anki.export_anki(mode="en").content, tmp_path)["mini-relu"]
    Concept.objects.filter(slug="mini-relu").update(answer_en="Rectified linear unit: max(0, x).")
    after = _notes(anki.export_anki(mode="en").content, tmp_path)["mini-relu"]
    assert after[0] == before[0] and after[1] != before[1]


def test_each_language_mode_has_its_own_guids_and_deck(content):
    ids = {mode: (anki.concept_guid("mini-relu", mode), anki.deck_id(Concept.objects.first().topic, mode))
           for mode in anki.MODES}
    assert len({guid for guid, _ in ids.values()}) == 3 and len({deck for _, deck in ids.values()}) == 3


def test_formulas_are_written_with_mathjax_delimiters(mini_content, write_content, tmp_path, db):
    mini_content["concepts"][0]["explanation"]["en"] = "Inline $f'(x)=1$ and display $$\\max(0, x)$$."
    load_content(write_content(mini_content))
    back = html.unescape(_notes(anki.export_anki(mode="en").content, tmp_path)["mini-relu"][1][1])
    assert r"\(f'(x)=1\)" in back and r"\[\max(0, x)\]" in back and "$" not in back


def test_both_languages_put_korean_first_then_english_clearly_separated(content, tmp_path):
    front, back = _notes(anki.export_anki(mode="both").content, tmp_path)["mini-relu"][1][:2]
    for side, ko, en in ((front, "ReLU란?", "What is ReLU?"), (back, "max(0, x)입니다.", "It is max(0, x).")):
        assert side.index(ko) < side.index('<hr class="lang-sep">') < side.index(en)


def test_the_back_has_the_answer_explanation_key_points_and_follow_ups(mini_content, write_content, tmp_path, db):
    mini_content["concepts"][0]["explanation"]["en"] = "ReLU is **cheap** to compute."
    load_content(write_content(mini_content))
    back = _notes(anki.export_anki(mode="en").content, tmp_path)["mini-relu"][1][1]
    assert "It is max(0, x)." in back and "<strong>cheap</strong>" in back
    assert "Key points" in back and "<li>cheap</li>" in back
    assert "Follow-up questions" in back and "What about Leaky ReLU?" in back


def test_question_notes_show_the_choices_and_the_correct_answer_with_its_explanation(content, tmp_path):
    notes = _notes(anki.export_anki(mode="en", questions=True).content, tmp_path)
    front, back = notes["mini-single"][1][:2]
    assert "ReLU(-2)?" in front and "<li>-2</li>" in front
    assert "A. 0" in back and "Negatives map to 0" in back
    assert "4 MB" in notes["mini-numeric"][1][1]
    assert "dying relu" in notes["mini-short"][1][1] and "dead relu" in notes["mini-short"][1][1]
    assert ">True<" in notes["mini-tf"][1][1]


def test_one_topic_can_be_exported_alone(content, mini_content, write_content, tmp_path):
    other = {"topic": {"slug": "other", "order": 2, "title": {"ko": "기타", "en": "Other"},
                       "description": {"ko": "다른", "en": "Other"}}, "concepts": []}
    load_content(write_content(other))
    export = anki.export_anki(topic_slugs=["mini"], mode="ko")
    assert export.filename == "dlprep-mini-ko.apkg" and export.notes == 2


# -- no temporary file is left behind -------------------------------------------------

def test_genanki_alone_leaks_one_temporary_file_per_package_it_writes(private_tempdir, tmp_path):
    """Why we do not call write_to_file: this is the leak the export avoids."""
    genanki.Package(genanki.Deck(1 << 30, "x")).write_to_file(tmp_path / "out.apkg")
    assert len(list(private_tempdir.iterdir())) == 1


def test_exports_leave_no_temporary_file_behind(content, private_tempdir, tmp_path, api):
    anki.export_anki(mode="both", questions=True)
    call_command("export_anki", "--questions", "-o", str(tmp_path / "deck.apkg"))
    assert api.get(reverse("api:export-anki")).status_code == 200
    assert list(private_tempdir.iterdir()) == []


# -- the command and the endpoint ------------------------------------------------------

def test_the_command_writes_the_deck_to_the_named_file(content, tmp_path, capsys):
    out = tmp_path / "mini.apkg"
    call_command("export_anki", "--topic", "mini", "--lang", "en", "--questions", "-o", str(out))
    assert "Wrote 7 notes" in capsys.readouterr().out
    assert read_apkg(out.read_bytes(), tmp_path).execute("SELECT count(*) FROM notes").fetchone() == (7,)


def test_the_command_refuses_an_unknown_topic(content, tmp_path):
    with pytest.raises(CommandError, match="Unknown topic 'nope'"):
        call_command("export_anki", "--topic", "nope", "-o", str(tmp_path / "x.apkg"))
    assert not (tmp_path / "x.apkg").exists()


def test_the_endpoint_sends_an_apkg_attachment_to_anyone(content, api, tmp_path):
    response = api.get(reverse("api:export-anki"), {"topic": "mini", "lang": "ko"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="dlprep-mini-ko.apkg"'
    assert read_apkg(response.content, tmp_path).execute("SELECT count(*) FROM notes").fetchone() == (2,)


@pytest.mark.parametrize("params, field", [({"topic": "nope"}, "topic"), ({"lang": "fr"}, "lang"),
                                           ({"questions": "maybe"}, "questions")])
def test_the_endpoint_names_the_bad_parameter(content, api, params, field):
    response = api.get(reverse("api:export-anki"), params)
    assert response.status_code == 400 and field in response.json()


def test_quoted_demo_values_come_from_the_store_and_a_missing_one_stops_the_export(mini_content, write_content,
                                                                                   tmp_path, db):
    from django.core.cache import cache

    from sandbox.models import StoredResult

    concept = mini_content["concepts"][0]
    concept["demo"] = {"key": "linear-collapse", "params": {"depth": 3, "width": 4}}
    concept["explanation"]["en"] = "Three layers collapse to [[collapsed_params]] parameters."
    load_content(write_content(mini_content))
    out = tmp_path / "deck.apkg"
    call_command("export_anki", "--lang", "en", "-o", str(out))
    fields = _notes(out.read_bytes(), tmp_path)["mini-relu"][1]
    assert any("collapse to 20 parameters" in f for f in fields)

    StoredResult.objects.all().delete()  # a new deployment whose results are not computed (yet)
    cache.clear()
    out.unlink()
    with pytest.raises(CommandError, match=r"not computed yet \(concept 'mini-relu'\)"):
        call_command("export_anki", "--lang", "en", "-o", str(out))
    assert not out.exists()  # no deck with a gap (or a raw [[placeholder]]) in it
    response = APIClient().get(reverse("api:export-anki"), {"lang": "en"})
    assert response.status_code == 503 and "mini-relu" in response.json()["detail"]
    assert response["Retry-After"] == "30"


def test_the_public_export_is_built_once_per_content_state_and_served_from_the_stored_file(content, api,
                                                                                            monkeypatch):
    built = []
    real = anki.export_anki
    monkeypatch.setattr(anki, "export_anki", lambda **kw: built.append(kw) or real(**kw))
    url = reverse("api:export-anki")
    first = api.get(url, {"lang": "en", "questions": "true"})
    second = api.get(url, {"lang": "en", "questions": "true"})
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and len(built) == 1
    assert api.get(url, {"lang": "ko"}).status_code == 200 and len(built) == 2  # other parameters, another file

    concept = Concept.objects.get(slug="mini-relu")
    concept.answer_en = "It is max(0, x): zero for negative inputs."
    concept.save()  # an edit in the admin
    third = api.get(url, {"lang": "en", "questions": "true"})
    assert len(built) == 3 and third.content != first.content


def test_concurrent_requests_for_the_same_export_build_it_once(transactional_db, mini_content, write_content,
                                                               monkeypatch):
    from tests.scale.conftest import in_parallel

    load_content(write_content(mini_content))
    built = []
    real = anki.export_anki
    monkeypatch.setattr(anki, "export_anki", lambda **kw: built.append(kw) or real(**kw))
    url = reverse("api:export-anki") + "?lang=both&questions=true"
    responses = in_parallel(*[lambda: APIClient().get(url)] * 6)
    assert [r.status_code for r in responses] == [200] * 6
    assert len({r.content for r in responses}) == 1 and len(built) == 1
