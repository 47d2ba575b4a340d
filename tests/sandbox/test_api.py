import xml.etree.ElementTree as ET

import pytest
from rest_framework.test import APIClient

from sandbox import registry, runner


@pytest.fixture
def client():
    """An anonymous API client: demos need no account."""
    return APIClient()


def test_the_list_shows_every_registered_demo_with_its_parameter_schema(client):
    response = client.get("/api/demos/")
    assert response.status_code == 200
    demos = {d["key"]: d for d in response.json()}
    assert set(demos) == set(registry.DEMOS)
    collapse = demos["linear-collapse"]
    assert collapse["version"] >= 1
    assert collapse["title"]["ko"] and collapse["title"]["en"]
    depth = next(p for p in collapse["params"] if p["name"] == "depth")
    assert depth == {**depth, "type": "int", "default": 4, "min": 2, "max": 12}
    assert depth["label"]["ko"] and depth["help"]["en"]


def test_one_demo_is_described_by_its_key(client):
    response = client.get("/api/demos/gpu-memory/")
    assert response.status_code == 200
    schema = {p["name"]: p for p in response.json()["params"]}
    assert schema["dtype"]["choices"] == ["fp32", "fp16", "bf16", "amp-fp16", "amp-bf16"]


def test_an_unknown_demo_is_a_json_404(client):
    for url in ("/api/demos/no-such-demo/", "/api/demos/no-such-demo/run/", "/api/demos/Bad_Key/run/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Unknown demo" in response.json()["detail"]


def test_a_run_returns_typed_params_values_tables_summary_and_charts(client):
    response = client.get("/api/demos/linear-collapse/run/", {"depth": "6", "lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert body["key"] == "linear-collapse" and body["lang"] == "en" and body["cached"] is False
    assert body["params"] == {"depth": 6, "width": 16, "samples": 256}
    assert body["values"]["stacked_params"] == 6 * (16 * 16 + 16)
    assert body["tables"]["summary"]["columns"][0] == "model"
    assert "6 stacked layers" in body["summary"]
    assert ET.fromstring(body["charts"][0]).tag.endswith("svg")
    assert body["elapsed_ms"] >= 0


def test_a_repeated_run_is_cached_and_publicly_cacheable(client):
    client.get("/api/demos/linear-collapse/run/", {"depth": "3"})
    response = client.get("/api/demos/linear-collapse/run/", {"depth": "3"})
    assert response.json()["cached"] is True
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


def test_bad_parameters_get_a_400_with_a_message_per_field(client):
    response = client.get("/api/demos/linear-collapse/run/", {"depth": "1", "width": "x", "colour": "red"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"depth", "width", "colour"}
    assert "at least 2" in errors["depth"]


def test_a_parameter_given_twice_is_refused(client):
    response = client.get("/api/demos/linear-collapse/run/?depth=3&depth=4")
    assert response.status_code == 400
    assert response.json()["errors"] == {"depth": "given more than once"}


def test_an_unsupported_language_is_refused(client):
    response = client.get("/api/demos/linear-collapse/run/", {"lang": "fr"})
    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_the_language_follows_accept_language_unless_lang_is_given(client):
    korean = client.get("/api/demos/linear-collapse/run/", HTTP_ACCEPT_LANGUAGE="ko").json()
    english = client.get("/api/demos/linear-collapse/run/", HTTP_ACCEPT_LANGUAGE="en").json()
    forced = client.get("/api/demos/linear-collapse/run/?lang=ko", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (korean["lang"], english["lang"], forced["lang"]) == ("ko", "en", "ko")
    assert "선형층" in korean["summary"] and "stacked" in english["summary"]


def test_a_timeout_is_a_503_with_a_clear_message(transactional_db, client, stub_demo, process_mode):
    """The run happens on the web process's background runner (its own database connection)."""
    process_mode.SANDBOX_TIMEOUT_S = 1  # the stub asks for 120 s: it times out however fast the machine is
    process_mode.SANDBOX_WAIT_MS = 300_000  # this request waits for the run's end rather than answering 202
    response = client.get("/api/demos/stub/run/?seconds=120")
    assert response.status_code == 503
    assert response.json()["detail"] == "Demo 'stub' did not finish within 1 s and was stopped."
    assert "no-store" in response["Cache-Control"]


def test_the_openapi_schema_documents_the_demo_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    run = paths["/api/demos/{key}/run/"]["get"]
    assert {"200", "400", "404", "503"} <= set(run["responses"])
    assert any(p["name"] == "lang" for p in run["parameters"])
    assert "/api/demos/" in paths and "/api/demos/{key}/" in paths


def test_new_runs_are_limited_per_client_but_stored_results_are_not(client, settings):
    settings.SANDBOX_COMPUTE_RATE = "2/min"
    for depth in (3, 4):
        assert client.get(f"/api/demos/linear-collapse/run/?depth={depth}").status_code == 200
    refused = client.get("/api/demos/linear-collapse/run/?depth=5")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    for _ in range(5):  # what is stored costs nothing and is always served
        assert client.get("/api/demos/linear-collapse/run/?depth=3").json()["cached"] is True
    other = client.get("/api/demos/linear-collapse/run/?depth=5", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another client has its own budget
    panel = client.get("/demos/linear-collapse/?depth=6").content.decode()
    assert "try again in" in panel  # the web panel shares the budget and says so in place
