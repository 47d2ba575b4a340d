"""load_content: idempotent loads, in-place updates, and broken files that write nothing."""

import pytest
from django.core.management import CommandError, call_command

from concepts.content import ContentInvalid, load_content, read_bundle
from concepts.models import AcceptedAnswer, Choice, Concept, Question, Topic

pytestmark = pytest.mark.django_db


def _counts():
    return (Topic.objects.count(), Concept.objects.count(), Question.objects.count(),
            Choice.objects.count(), AcceptedAnswer.objects.count())


def test_it_loads_every_question_kind_with_its_answer_key(mini_content, write_content):
    load_content(write_content(mini_content))

    assert _counts() == (1, 2, 5, 5, 4)
    assert Question.objects.get(slug="mini-tf").answer_bool is True
    numeric = Question.objects.get(slug="mini-numeric")
    assert (numeric.numeric_value, numeric.numeric_tolerance, numeric.numeric_unit) == (4, 0.1, "MB")
    single = Question.objects.get(slug="mini-single")
    assert [c.is_correct for c in single.choices.all()] == [True, False]
    assert list(Concept.objects.get(slug="mini-relu").related.values_list("slug", flat=True)) == ["mini-sigmoid"]


def test_loading_twice_changes_nothing(mini_content, write_content):
    paths = write_content(mini_content)
    load_content(paths)
    before = {q.slug: q.updated_at for q in Question.objects.all()}
    choice_ids = sorted(Choice.objects.values_list("pk", flat=True))

    report = load_content(paths)

    assert not report.changed
    assert report.unchanged == {"topic": 1, "concept": 2, "question": 5}
    assert {q.slug: q.updated_at for q in Question.objects.all()} == before
    assert sorted(Choice.objects.values_list("pk", flat=True)) == choice_ids


def test_an_edited_item_is_updated_in_place(mini_content, write_content):
    load_content(write_content(mini_content))
    question_pk = Question.objects.get(slug="mini-single").pk

    questions = mini_content["concepts"][0]["questions"]
    questions[0]["prompt"]["en"] = "What is ReLU(-2)?"
    questions[0]["choices"].append({"correct": False, "ko": "2", "en": "2"})
    questions[4]["accepted"]["en"] = ["dying relu"]
    report = load_content(write_content(mini_content))

    single = Question.objects.get(slug="mini-single")
    assert single.pk == question_pk
    assert single.prompt_en == "What is ReLU(-2)?"
    assert [c.text_en for c in single.choices.all()] == ["0", "-2", "2"]
    assert sorted(AcceptedAnswer.objects.filter(language="en").values_list("text", flat=True)) == ["dying relu"]
    assert report.updated["question"] == 1
    assert _counts() == (1, 2, 5, 6, 3)


def test_a_broken_item_is_named_and_nothing_is_written(mini_content, write_content):
    load_content(write_content(mini_content))
    before = _counts()
    questions = mini_content["concepts"][0]["questions"]
    questions[0]["prompt"]["en"] = "changed, but must not be saved"
    questions[1]["choices"] = [{"correct": False, "ko": "a", "en": "a"}, {"correct": False, "ko": "b", "en": "b"}]

    with pytest.raises(ContentInvalid) as info:
        load_content(write_content(mini_content))

    messages = [str(p) for p in info.value.problems]
    assert messages == [
        "00-mini.yaml: question 'mini-multiple': A multiple-select question needs at least one correct choice (has 0)."
    ]
    assert _counts() == before
    assert Question.objects.get(slug="mini-single").prompt_en == "ReLU(-2)?"


def test_the_command_prints_each_problem_and_fails(mini_content, write_content, capsys):
    del mini_content["concepts"][0]["questions"][3]["unit"]
    mini_content["concepts"][0]["related"] = ["no-such-concept"]
    mini_content["concepts"][1]["title"] = {"ko": "시그모이드"}

    with pytest.raises(CommandError, match="3 problem"):
        call_command("load_content", *map(str, write_content(mini_content)))

    err = capsys.readouterr().err
    assert "question 'mini-numeric': numeric_unit: A numeric question needs a unit" in err
    assert "concept 'mini-relu': related concept 'no-such-concept' does not exist" in err
    assert "concept 'mini-sigmoid': title_en: The English text is missing" in err
    assert Topic.objects.count() == 0


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda t: t["concepts"][0]["questions"][0].update(kind="essay"), "kind: Value 'essay' is not a valid choice."),
        (lambda t: t["concepts"][0]["questions"][0].update(difficulty="hard"), "field 'difficulty' must be an integer"),
        (lambda t: t["concepts"][0].update(titel={"ko": "x", "en": "x"}), "unknown field 'titel'"),
        (lambda t: t["concepts"][0]["questions"][2].update(answer="yes"), "field 'answer' must be true or false"),
        (lambda t: t["concepts"][0]["questions"][3].update(tolerance=-1), "The tolerance must be a finite number of at least 0."),
        (lambda t: t["concepts"][1].update(slug="Mini Sigmoid"), "slug"),
        (lambda t: t["concepts"][1].update(slug="mini-relu"), "slug is also used in 00-mini.yaml"),
        (lambda t: t["concepts"][0]["questions"][4].update(accepted={"ko": ["죽은 렐루"]}), "needs an accepted English answer"),
    ],
)
def test_validation_names_the_field_for_each_kind_of_mistake(mini_content, write_content, edit, expected):
    edit(mini_content)
    _, problems = read_bundle(write_content(mini_content))
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]


def test_a_file_that_is_not_yaml_is_reported(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("topic: [unclosed", encoding="utf-8")
    _, problems = read_bundle([path])
    assert len(problems) == 1 and "broken.yaml: file: cannot be read as YAML" in str(problems[0])


def test_a_draft_may_lack_a_translation(mini_content, write_content):
    concept = mini_content["concepts"][1]
    concept["status"] = "draft"
    concept["title"] = {"ko": "시그모이드"}
    load_content(write_content(mini_content))
    assert Concept.objects.get(slug="mini-sigmoid").title_en == ""


def test_quoted_demo_values_must_exist_in_the_demo_result(mini_content, write_content):
    concept = mini_content["concepts"][0]
    concept["demo"] = {"key": "linear-collapse", "params": {"depth": 3}}
    concept["explanation"]["en"] += " The stack differs by [[max_abs_difference:.1e]] and has [[no_such_value]]."
    question = concept["questions"][0]
    question["explanation"]["ko"] += " [[collapsed_params]]"
    _, problems = read_bundle(write_content(mini_content))
    assert [str(p) for p in problems] == [
        "00-mini.yaml: concept 'mini-relu': quotes [[no_such_value]], which the demo result does not have",
        "00-mini.yaml: question 'mini-single': quotes demo values but has no demo",
    ]


def test_a_demo_reference_with_bad_parameters_names_them(mini_content, write_content):
    mini_content["concepts"][0]["demo"] = {"key": "linear-collapse", "params": {"depth": 1, "colour": "red"}}
    mini_content["concepts"][1]["demo"] = {"key": "no-such-demo"}
    _, problems = read_bundle(write_content(mini_content))
    text = [str(p) for p in problems]
    assert any("mini-relu': demo_params: " in t and "depth: must be at least 2" in t and "colour: unknown" in t
               for t in text), text
    assert any("mini-sigmoid': demo_key: Unknown demo 'no-such-demo'" in t for t in text), text


def test_a_second_load_with_nothing_changed_runs_no_demo(mini_content, write_content):
    from sandbox.models import StoredResult

    mini_content["concepts"][0]["demo"] = {"key": "linear-collapse", "params": {"depth": 3}}
    mini_content["concepts"][1]["demo"] = {"key": "linear-collapse", "params": {"depth": "3"}}  # the same run
    paths = write_content(mini_content)
    first = load_content(paths)
    assert first.demos_computed == 1 and StoredResult.objects.filter(key="linear-collapse").count() == 1
    second = load_content(paths)
    assert second.demos_computed == 0 and not second.changed
