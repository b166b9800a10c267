import email.message
import io
import urllib.error
import urllib.request

import pytest

from pasar.payments.providers.base import ProviderError
from pasar.payments.providers.transport import MAX_BODY, TIMEOUT_SECONDS, HttpRequest, urllib_transport


class Answer(io.BytesIO):
    status = 200


def test_only_https_is_ever_sent(monkeypatch):
    sent = []
    monkeypatch.setattr(urllib.request, "urlopen", lambda *args, **kwargs: sent.append(args))
    for url in ("http://api.midtrans.com/v2/charge", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(ProviderError):
            urllib_transport(HttpRequest("GET", url))
    assert sent == []


def test_sends_method_headers_body_with_a_short_timeout(monkeypatch):
    seen: dict[str, object] = {}

    def urlopen(request, timeout):
        seen.update(
            method=request.get_method(),
            url=request.full_url,
            auth=request.get_header("Authorization"),
            body=request.data,
            timeout=timeout,
        )
        return Answer(b'{"ok": true}')

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    response = urllib_transport(
        HttpRequest("POST", "https://api.sandbox.midtrans.com/v2/charge", {"Authorization": "Basic eDo="}, b"{}")
    )
    assert (response.status, response.body) == (200, b'{"ok": true}')
    assert seen == {
        "method": "POST",
        "url": "https://api.sandbox.midtrans.com/v2/charge",
        "auth": "Basic eDo=",
        "body": b"{}",
        "timeout": TIMEOUT_SECONDS,
    }
    assert TIMEOUT_SECONDS <= 15


def test_http_error_status_is_an_answer(monkeypatch):
    def urlopen(request, timeout):
        raise urllib.error.HTTPError(
            request.full_url, 401, "Unauthorized", email.message.Message(), io.BytesIO(b'{"status_code":"401"}')
        )

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    response = urllib_transport(HttpRequest("GET", "https://api.midtrans.com/v2/x/status"))
    assert (response.status, response.body) == (401, b'{"status_code":"401"}')


@pytest.mark.parametrize(
    "error", [urllib.error.URLError("no route"), TimeoutError("timed out"), ConnectionResetError()]
)
def test_network_failures_raise_provider_error(monkeypatch, error):
    def urlopen(request, timeout):
        raise error

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    with pytest.raises(ProviderError):
        urllib_transport(HttpRequest("GET", "https://api.midtrans.com/v2/x/status"))


def test_oversized_answers_are_cut(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout: Answer(b"x" * (MAX_BODY + 10)))
    assert len(urllib_transport(HttpRequest("GET", "https://api.midtrans.com/")).body) == MAX_BODY
