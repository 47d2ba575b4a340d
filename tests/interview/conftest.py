"""A small interview topic whose follow-ups link other cards, chains and loops included.

iv-relu -> iv-dying-relu -> (iv-relu: already asked, skipped) -> iv-he; iv-sigmoid -> iv-vanishing
-> (iv-sigmoid: skipped) -> iv-relu. Key points are parallel in Korean and English.
"""

import pytest
from rest_framework.test import APIClient

from concepts.content import load_content
from concepts.models import Concept


def card(slug, title_ko, title_en, points_ko, points_en, links=(None, None), follow_ups=None):
    follow_ups = follow_ups or {"ko": [f"{title_ko} 다음 질문 {i + 1}" for i in range(len(links))],
                                "en": [f"Next about {title_en} {i + 1}" for i in range(len(links))]}
    return {
        "slug": slug, "status": "published",
        "title": {"ko": title_ko, "en": title_en},
        "front": {"ko": f"{title_ko}을 설명해 주세요.", "en": f"Explain {title_en}."},
        "answer": {"ko": f"{title_ko}의 모범 답안", "en": f"The model answer about {title_en}"},
        "explanation": {"ko": "설명", "en": "Explanation"},
        "key_points": {"ko": points_ko, "en": points_en},
        "pitfalls": {"ko": ["흔한 실수"], "en": ["A common mistake"]},
        "follow_ups": follow_ups,
        "follow_up_cards": list(links),
        "questions": [],
    }


INTERVIEW_TOPIC = {
    "topic": {"slug": "iv", "order": 1, "title": {"ko": "면접 주제", "en": "Interview topic"},
              "description": {"ko": "시험용", "en": "For tests"}},
    "concepts": [
        card("iv-relu", "렐루", "ReLU",
             ["max(0, x)를 출력한다", "양수 입력에서 기울기가 1이다", "계산이 싸다", "입력이 계속 음수면 뉴런이 죽는다"],
             ["Outputs max(0, x)", "Gradient is 1 for positive inputs", "Cheap to compute",
              "Units die when their inputs stay negative"],
             links=("iv-dying-relu", "iv-leaky-relu"),
             follow_ups={"ko": ["죽은 ReLU 문제는 무엇인가요?", "Leaky ReLU는 무엇이 다른가요?"],
                         "en": ["What is the dying ReLU problem?", "How does Leaky ReLU differ?"]}),
        card("iv-dying-relu", "죽은 렐루", "Dying ReLU",
             ["음수 입력만 받으면 기울기가 0", "학습률이 크면 잘 생긴다", "Leaky ReLU로 막는다"],
             ["Zero gradient for negative inputs", "Large learning rates cause it", "Leaky ReLU prevents it"],
             links=("iv-relu", "iv-he")),
        card("iv-leaky-relu", "리키 렐루", "Leaky ReLU",
             ["음수 쪽 기울기가 작은 양수", "죽은 뉴런을 막는다", "기울기 계수는 하이퍼파라미터"],
             ["Small positive slope for negatives", "Prevents dead units", "The slope is a hyperparameter"],
             links=("iv-relu", None)),
        card("iv-he", "He 초기화", "He initialization",
             ["분산 2/fan_in", "ReLU에 맞춘다", "출력 분산을 유지한다"],
             ["Variance 2/fan_in", "Suits ReLU", "Keeps the output variance"], links=(None, None)),
        card("iv-sigmoid", "시그모이드", "Sigmoid",
             ["출력이 0과 1 사이", "도함수 최댓값 0.25", "포화되면 기울기가 사라진다"],
             ["Outputs between 0 and 1", "Derivative at most 0.25", "Saturation kills the gradient"],
             links=("iv-vanishing", None)),
        card("iv-vanishing", "기울기 소실", "Vanishing gradients",
             ["층마다 작은 미분이 곱해진다", "앞쪽 층이 학습되지 않는다", "ReLU와 좋은 초기화로 완화"],
             ["Small derivatives multiply layer by layer", "Early layers stop learning",
              "ReLU and good initialization help"],
             links=("iv-sigmoid", "iv-relu")),
    ],
}


@pytest.fixture
def iv_content(db, write_content):
    """The interview topic, loaded and validated like shipped content."""
    import copy

    load_content(write_content(copy.deepcopy(INTERVIEW_TOPIC)))
    return {c.slug: c for c in Concept.objects.all()}


@pytest.fixture
def as_alice(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def as_bob(bob):
    client = APIClient()
    client.force_authenticate(bob)
    return client
