def test_health_reports_database_and_in_process_tasks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "detail": "in-process"}


def test_health_reports_an_unreachable_broker(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "BROKER_URL", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["broker"]["ok"] is False


def test_liveness_answers_without_a_session(client):
    response = client.get("/livez")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
