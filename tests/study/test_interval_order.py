"""Grade intervals ordered as Anki orders them: Good >= Hard + 1 day, Easy >= Good + 1 day, after rounding.

Checked against Anki's own FSRS (same FSRS-6 parameters, steps and retention, fuzz off):
the sequence Good, Good, Again, Good, Good, Easy at retention 0.9 schedules 3 days and
then 11 days there; FSRS without the ordering gives 2 and 9.
"""

from datetime import datetime, timedelta, timezone

import pytest

from study import scheduling
from concepts.content import load_content
from concepts.models import Concept
from study.models import CardState

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


@pytest.fixture
def relu(mini_content, write_content):
    load_content(write_content(mini_content))
    return Concept.objects.get(slug="mini-relu")


def test_the_sequence_good_good_again_good_good_easy_schedules_as_anki(alice, relu):
    assert scheduling.profile_for(alice).desired_retention == 0.9
    now, intervals = NOW, []
    for rating in (3, 3, 1, 3, 3, 4):
        previewed = scheduling.preview(alice, relu, now=now)[scheduling.RATINGS[rating]]
        log, _ = scheduling.review_card(user=alice, concept=relu, rating=rating, now=now)
        assert previewed == log.due_after == CardState.objects.get(user=alice).due  # the button told the truth
        intervals.append(log.due_after - now)
        now = log.due_after
    assert intervals[4] == 3 * DAY and intervals[5] == 11 * DAY


def test_previews_never_show_the_same_day_count_on_two_passing_buttons(alice, relu):
    now = NOW
    for rating in (3, 3, 1, 3, 3, 2, 3, 4, 1, 3):
        previews = scheduling.preview(alice, relu, now=now)
        days = [(previews[name] - now) / DAY for name in ("hard", "good", "easy")]
        day_counts = [d for d in days if d >= 1]
        assert day_counts == sorted(set(day_counts)), days
        now = scheduling.review_card(user=alice, concept=relu, rating=rating, now=now)[0].due_after
