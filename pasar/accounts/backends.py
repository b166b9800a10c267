from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from pasar.accounts.models import User
from pasar.core.phone import normalize_phone


class PhoneBackend(ModelBackend):
    """Log in with a phone number typed any common way (0812..., 62812..., +62 812...)."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        phone = normalize_phone(username or kwargs.get("phone") or "")
        if phone is None:
            return None
        found = super().authenticate(request, username=phone, password=password)
        return found if isinstance(found, User) else None
