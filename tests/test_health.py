def test_the_health_probe_answers_json_without_a_session_or_the_database(client):
    # No `db` fixture: any database query in the view or a middleware would raise here.
    response = client.get("/api/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
    assert client.post("/api/health/").status_code == 405


def test_a_web_process_does_its_one_time_work_at_start_up_without_torch(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, quizsite.wsgi\n"
            "from django.urls import get_resolver\n"
            "resolver = get_resolver()\n"
            "print('urls' if '_urlconf_module' in resolver.__dict__ or 'urlconf_module' in resolver.__dict__ else '-',"
            " 'torch' in sys.modules, 'matplotlib' in sys.modules, 'markdown' in sys.modules)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quizsite.settings", "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["urls", "False", "False", "True"]
