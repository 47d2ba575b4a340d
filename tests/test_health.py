def test_the_health_probe_answers_json_without_a_session_or_the_database(client):
    # No `db` fixture: any database query in the view or a middleware would raise here.
    response = client.get("/api/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
    assert client.post("/api/health/").status_code == 405
