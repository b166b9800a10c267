"""The one HTTP seam of the adapters: a transport is a callable, so tests pass a fake and never hit the network."""

import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pasar.payments.providers.base import ProviderError

# Short: a charge is created while the buyer waits, and never while holding a row lock.
TIMEOUT_SECONDS = 10.0
MAX_BODY = 1_000_000  # a provider answer is a few KB; refuse to buffer anything absurd


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes


type Transport = Callable[[HttpRequest], HttpResponse]


def urllib_transport(request: HttpRequest, *, timeout: float = TIMEOUT_SECONDS) -> HttpResponse:
    """Send over HTTPS with the standard library; an HTTP error status is an answer, a network failure raises."""
    if not request.url.startswith("https://"):
        raise ProviderError(f"refusing a non-HTTPS provider URL: {request.url}")
    outgoing = urllib.request.Request(  # noqa: S310 (scheme checked above: https only)
        request.url, data=request.body, headers=dict(request.headers), method=request.method
    )
    try:
        with urllib.request.urlopen(outgoing, timeout=timeout) as response:  # noqa: S310 (https only)
            return HttpResponse(status=response.status, body=response.read(MAX_BODY))
    except urllib.error.HTTPError as error:
        with error:
            return HttpResponse(status=error.code, body=error.read(MAX_BODY))
    except (urllib.error.URLError, OSError) as error:
        raise ProviderError(f"{request.method} {request.url} failed: {error}") from error
