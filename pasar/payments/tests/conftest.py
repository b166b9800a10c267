import pytest

from pasar.payments.gateway import fake_reset, payment_provider


@pytest.fixture(autouse=True)
def _fresh_fake_provider(settings):
    settings.PASAR_PAYMENT_PROVIDER = "fake"
    settings.PASAR_PAYMENT_FAKE_SECRET = "test-secret"
    fake_reset()
    yield
    fake_reset()


@pytest.fixture
def fake():
    """The process's fake provider, the one the webhook uses."""
    return payment_provider("fake")
