"""The live demo panel on web pages: bad values are explained in the page's language and the chart stays."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def panel(client, lang, **params):
    return client.get(reverse("demos:panel", args=["linear-collapse"]), params,
                      HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_a_bad_value_is_explained_in_korean_and_the_chart_stays(client):
    page = panel(client, "ko", depth="1000")
    assert "12 이하여야 합니다 (입력값 1000)" in page and "must be" not in page
    assert page.count("<svg") >= 1 and "data-demo-stale" in page


def test_a_bad_value_is_explained_in_english_on_the_english_page(client):
    page = panel(client, "en", depth="1000", width="wide")
    assert "must be at most 12 (got 1000)" in page and "must be an integer" in page
    assert "<svg" in page


def test_good_values_show_the_chart_without_the_default_note(client):
    page = panel(client, "ko", depth="3")
    assert "<svg" in page and "data-demo-stale" not in page
