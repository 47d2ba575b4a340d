"""The content we ship: valid, complete, and as large as the product promises."""

from collections import Counter

import pytest

from concepts.content import load_content, read_bundle

# Every topic DESIGN.md lists under "Content", by the card that covers it.
REQUIRED_CONCEPTS = {
    "mcp-neuron", "perceptron-learning-rule", "perceptron-xor-limit", "network-layers", "deep-neural-network",
    "forward-propagation", "backpropagation-chain-rule", "neural-network-drawbacks", "one-shot-learning",
    "why-nonlinear-activation", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "maxout", "swish",
    "why-relu-over-sigmoid", "dying-relu", "vanishing-exploding-gradients", "zero-initialization",
    "random-initialization", "xavier-initialization", "he-initialization", "learning-as-argmin", "mae-vs-mse",
    "cross-entropy-softmax", "binary-cross-entropy", "categorical-vs-sparse-ce", "output-activation-loss-table",
    "gradient-descent", "learning-rate", "local-vs-global-minima", "loss-increase-during-training",
    "batch-vs-stochastic-vs-minibatch", "epoch-iteration-batch-size", "small-minibatch-tradeoffs", "sgd-momentum",
    "adagrad-rmsprop", "adam", "overfitting-underfitting", "train-val-test-split", "test-set-contamination",
    "holdout-validation", "k-fold-cross-validation", "loocv", "cnn-building-blocks", "conv-output-shape-params",
    "rnn-sequence", "lstm-gru", "gan", "boltzmann-machine-rbm", "why-gpu", "gpu-memory-training",
    "tensorflow-vs-pytorch", "inspecting-model",
}


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker):
    """Read once for the module; the demo results it stores are removed afterwards (tests start with none)."""
    from sandbox.models import StoredResult

    with django_db_blocker.unblock():
        bundle, problems = read_bundle()
        assert [str(p) for p in problems] == []
        yield bundle
        StoredResult.objects.all().delete()


def test_every_shipped_item_is_valid(bundle):
    assert bundle.topics  # the fixture above asserts there are no problems


def test_every_topic_of_the_design_has_its_card(bundle):
    slugs = {c.concept.slug for c in bundle.concepts()}
    assert REQUIRED_CONCEPTS <= slugs, sorted(REQUIRED_CONCEPTS - slugs)


def test_the_library_has_the_promised_size(bundle):
    concepts = [c for c in bundle.concepts() if c.concept.status == "published"]
    questions = [q for q in bundle.questions() if q.question.status == "published"]
    kinds = Counter(q.question.kind for q in questions)
    assert len(concepts) >= 45
    assert len(questions) >= 180
    assert set(kinds) == {"single", "multiple", "true_false", "numeric", "short"}
    assert kinds["numeric"] >= 15


def test_every_concept_has_three_questions_and_interviewer_follow_ups(bundle):
    thin = [c.concept.slug for c in bundle.concepts() if len(c.questions) < 3]
    assert thin == []
    for item in bundle.concepts():
        concept = item.concept
        assert len(concept.follow_ups_ko) >= 2 and len(concept.follow_ups_en) >= 2, concept.slug
        assert len(concept.key_points_ko) >= 3 and len(concept.key_points_en) >= 3, concept.slug


@pytest.mark.django_db
def test_the_shipped_content_loads_and_a_second_load_changes_nothing():
    first = load_content()
    assert first.created["concept"] >= 45
    second = load_content()
    assert not second.changed
    assert second.demos_computed == 0  # every linked result was stored by the first load
