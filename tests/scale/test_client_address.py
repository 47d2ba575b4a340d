"""Rate limits and log-in lockouts key on an address the client cannot choose.

By default (BEHIND_PROXY unset) X-Forwarded-For is the client's own to write, so
it is ignored: a spoofed header per request changes nothing. With BEHIND_PROXY=N,
the N-th entry from the right (the one the trusted proxy wrote) is the client.
"""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from quizsite.throttling import client_ip
from tests.scale.test_settings_by_environment import settings_value


def test_behind_proxy_sets_how_many_proxies_drf_trusts():
    assert settings_value("s.REST_FRAMEWORK['NUM_PROXIES'], s.SECURE_PROXY_SSL_HEADER") == "0 None"
    assert settings_value("s.REST_FRAMEWORK['NUM_PROXIES']", BEHIND_PROXY="2") == "2"
    assert settings_value("s.REST_FRAMEWORK['NUM_PROXIES']", BEHIND_PROXY="true") == "1"
    assert settings_value("s.AXES_CLIENT_IP_CALLABLE") == "quizsite.throttling.client_ip"




def _anon_rate(monkeypatch, rate):
    # DRF reads the rates into a class attribute when it is imported.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {**SimpleRateThrottle.THROTTLE_RATES, "anon": rate, "auth": rate})


@pytest.mark.django_db
def test_a_different_spoofed_forwarded_for_on_every_request_does_not_escape_the_rate_limit(monkeypatch):
    _anon_rate(monkeypatch, "5/min")
    api = APIClient()
    statuses = [api.get("/api/topics/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(12)]
    assert statuses == [200] * 5 + [429] * 7


@pytest.mark.django_db
def test_sign_ups_with_spoofed_forwarded_for_are_limited_too(monkeypatch):
    _anon_rate(monkeypatch, "3/min")
    api = APIClient()
    statuses = [api.post("/api/auth/signup/", {"username": f"user{i}", "password": "a long passphrase 42"},
                         format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(6)]
    assert statuses == [201] * 3 + [429] * 3


def test_a_spoofed_forwarded_for_does_not_escape_a_log_in_lockout(client, alice):
    for i in range(5):
        client.post("/api/auth/token/", {"username": "alice", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = client.post("/api/auth/token/", {"username": "alice", "password": "correct horse 1"},
                           HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_the_address_is_the_socket_s_by_default_and_the_proxy_s_entry_when_one_is_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "10.0.0.5"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_ip(request) == "198.51.100.7"  # what the one trusted proxy appended; 6.6.6.6 was the client's claim
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 2}
    assert client_ip(request) == "6.6.6.6"
