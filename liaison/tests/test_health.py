import pytest

from liaison import health


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise health.connection.Database.OperationalError("database is gone")

    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_pages_and_logins_work_while_the_broker_is_down(client, settings, cast):
    """Sessions live in the database: a broker outage must not log anyone out or break pages."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    client.force_login(cast["county_staff"])
    assert client.get("/").status_code == 200
