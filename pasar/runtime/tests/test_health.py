from datetime import timedelta

import pytest
from django.utils import timezone

from pasar.runtime import health, heartbeat
from pasar.runtime.models import Heartbeat


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def beat(role, instance=None):
    heartbeat.beat(instance or f"{role}-1", role, started_at=timezone.now())


@pytest.mark.django_db
def test_readyz_is_unavailable_until_worker_and_scheduler_beat(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == body["migrations"] == "ok"
    assert body["worker"] == body["scheduler"] == "no heartbeat yet: is it running?"

    beat(Heartbeat.Role.WORKER)
    beat(Heartbeat.Role.SCHEDULER)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "worker": "ok",
        "scheduler": "ok",
        "tasks": {"ready": 0, "running": 0, "failed_24h": 0, "oldest_ready_seconds": 0},
    }


@pytest.mark.django_db
def test_readyz_reports_a_silent_role_after_the_staleness_window(client, time_machine):
    beat(Heartbeat.Role.WORKER)
    beat(Heartbeat.Role.SCHEDULER)
    time_machine.move_to(timezone.now() + timedelta(seconds=45))
    beat(Heartbeat.Role.SCHEDULER)
    time_machine.move_to(timezone.now() + timedelta(seconds=30))  # the worker is now 75 s silent
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["scheduler"] == "ok"
    assert body["worker"].startswith("no heartbeat for 75 s")


@pytest.mark.django_db
def test_a_standby_scheduler_does_not_count_and_a_stopped_one_says_so(client):
    beat(Heartbeat.Role.WORKER)
    beat(Heartbeat.Role.STANDBY)
    assert client.get("/readyz").json()["scheduler"] == "no heartbeat yet: is it running?"
    beat(Heartbeat.Role.SCHEDULER, "sched-a")
    heartbeat.stop("sched-a")
    assert client.get("/readyz").json()["scheduler"].startswith("stopped at ")


@pytest.mark.django_db
def test_readyz_names_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_ok", False)

    class Plan:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            return [("orders", "0099_new"), ("payments", "0042_new")]

    monkeypatch.setattr(health, "MigrationExecutor", Plan)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "2 migrations not applied (run `pasar migrate`)"
    assert "worker" not in response.json()


@pytest.mark.django_db
def test_probes_answer_by_ip_over_http_even_with_https_redirect_and_public_hosts_only(client, settings):
    settings.ALLOWED_HOSTS = ["pasar.example.go.id"]
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400  # the rest of the site: refused
    health = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    ready = client.get("/readyz", HTTP_HOST="127.0.0.1:8000")

    assert (health.status_code, health.content) == (200, b"ok\n")
    assert ready.status_code == 503  # no worker or scheduler in tests: the report, not a redirect
    assert ready.json()["database"] == "ok"
