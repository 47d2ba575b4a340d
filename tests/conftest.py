"""Shared test settings and personas.

alice and bob are learners, carol is an author (staff). Settings are switched to
fast equivalents here, never in quizsite/settings.py.
"""

import copy

import pytest
import yaml


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file rather than in memory: as in production, with WAL and
    IMMEDIATE transactions, so that the tests of concurrent writers (threads, each with its own
    connection) run on SQLite too; an in-memory database shares one cache across connections
    and answers "table is locked" at once instead of waiting."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path_factory):
    """MD5 hashing and plain static storage: the suite needs neither bcrypt-grade hashes nor collectstatic.

    Demos run in-process and synchronously, even in the scaled pass (SANDBOX_QUEUE=celery
    in the environment): tests that expect a result at once get one; the queue and its
    worker have their own tests in tests/scale/.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SANDBOX_IN_PROCESS = True
    settings.SANDBOX_QUEUE = ""
    # Demo results are deterministic: computed once per test process and kept in memory, as the
    # database that stores them is rolled back after every test. Charts are drawn when shown.
    settings.SANDBOX_PROCESS_MEMO = True
    settings.SANDBOX_PRERENDER_CHARTS = False
    settings.EXPORT_DIR = tmp_path_factory.mktemp("exports")  # stored exports: a directory per test
    # No search index built in a background thread behind a test's back (tests/search/test_warm_up.py turns it on)
    settings.SEARCH_WARM_UP = False
    # Kiwi loaded in each test process, no analyser process left behind (tests/search/test_analyser.py tests that)
    settings.SEARCH_KIWI = "inline"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters and cached demo results live in the cache: each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.com", "correct horse 1")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.com", "correct horse 2")


@pytest.fixture
def carol(django_user_model):
    """An author: staff with every permission, as an admin user would be."""
    return django_user_model.objects.create_superuser("carol", "carol@example.com", "correct horse 3")


MINI_TOPIC = {
    "topic": {"slug": "mini", "order": 1, "title": {"ko": "미니", "en": "Mini"},
              "description": {"ko": "시험용 주제", "en": "A topic for tests"}},
    "concepts": [
        {
            "slug": "mini-relu",
            "difficulty": 1,
            "status": "published",
            "source_notes": ["004"],
            "related": ["mini-sigmoid"],
            "title": {"ko": "렐루", "en": "ReLU"},
            "front": {"ko": "ReLU란?", "en": "What is ReLU?"},
            "answer": {"ko": "max(0, x)입니다.", "en": "It is max(0, x)."},
            "explanation": {"ko": "양수에서 기울기 1, $f'(x)=1$", "en": "Gradient 1 for positive inputs, $f'(x)=1$"},
            "key_points": {"ko": ["계산이 싸다"], "en": ["cheap"]},
            "pitfalls": {"ko": ["죽은 뉴런"], "en": ["dead units"]},
            "follow_ups": {"ko": ["Leaky ReLU는?"], "en": ["What about Leaky ReLU?"]},
            "questions": [
                {"slug": "mini-single", "kind": "single", "difficulty": 1,
                 "prompt": {"ko": "ReLU(−2)는?", "en": "ReLU(-2)?"},
                 "explanation": {"ko": "음수는 0", "en": "Negatives map to 0"},
                 "choices": [{"correct": True, "ko": "0", "en": "0"}, {"correct": False, "ko": "-2", "en": "-2"}]},
                {"slug": "mini-multiple", "kind": "multiple", "difficulty": 2,
                 "prompt": {"ko": "ReLU의 성질은?", "en": "Properties of ReLU?"},
                 "explanation": {"ko": "둘 다 맞다", "en": "Both hold"},
                 "choices": [{"correct": True, "ko": "희소", "en": "sparse"},
                             {"correct": True, "ko": "싸다", "en": "cheap"},
                             {"correct": False, "ko": "유계", "en": "bounded"}]},
                {"slug": "mini-tf", "kind": "true_false", "answer": True,
                 "prompt": {"ko": "ReLU는 양수에서 기울기가 1이다.", "en": "ReLU has gradient 1 for positive inputs."},
                 "explanation": {"ko": "정의상 그렇다", "en": "By definition"}},
                {"slug": "mini-numeric", "kind": "numeric", "value": 4, "tolerance": 0.1, "unit": "MB",
                 "prompt": {"ko": "fp32 파라미터 100만 개는 몇 MB?", "en": "How many MB for 1M fp32 params?"},
                 "explanation": {"ko": "4바이트 × 10^6", "en": "4 bytes × 10^6"}},
                {"slug": "mini-short", "kind": "short",
                 "accepted": {"ko": ["죽은 렐루", "dying relu"], "en": ["dying relu", "dead relu"]},
                 "prompt": {"ko": "음수 입력만 받는 ReLU 뉴런 문제는?", "en": "The problem of a ReLU unit that only sees negatives?"},
                 "explanation": {"ko": "기울기가 0", "en": "Its gradient is 0"}},
            ],
        },
        {
            "slug": "mini-sigmoid",
            "status": "published",
            "title": {"ko": "시그모이드", "en": "Sigmoid"},
            "front": {"ko": "시그모이드란?", "en": "What is sigmoid?"},
            "answer": {"ko": "1/(1+e^-x)", "en": "1/(1+e^-x)"},
            "explanation": {"ko": "설명", "en": "Explanation"},
            "key_points": {"ko": ["0~1"], "en": ["0 to 1"]},
            "pitfalls": {"ko": ["포화"], "en": ["saturation"]},
            "follow_ups": {"ko": ["미분은?"], "en": ["Its derivative?"]},
            "questions": [],
        },
    ],
}


@pytest.fixture
def mini_content():
    """A fresh deep copy of a small valid topic (every question kind), to edit per test."""
    return copy.deepcopy(MINI_TOPIC)


@pytest.fixture
def write_content(tmp_path):
    """Writes topic dicts as YAML files and returns their paths."""

    def write(*topics):
        paths = []
        for index, topic in enumerate(topics):
            path = tmp_path / f"{index:02d}-{topic['topic']['slug']}.yaml"
            path.write_text(yaml.safe_dump(topic, allow_unicode=True, sort_keys=False), encoding="utf-8")
            paths.append(path)
        return paths

    return write
