"""Private file storage: files that hold personal data (exports of traders' names and phones, data downloads).

They live in ``PASAR_PRIVATE_ROOT`` (default ``$PASAR_DATA_DIR/private``), outside ``MEDIA_ROOT``, so the web
server that serves the media folder never sees them. They have no URL: a view that checks who asks opens
them and answers with a ``FileResponse``. Their names are random (``private_name``), so a leaked folder
listing or log line does not let anyone guess another file.
"""

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


class PrivateStorage(FileSystemStorage):
    """A file-system storage rooted at ``settings.PASAR_PRIVATE_ROOT`` (read on every use, so tests can move it)."""

    def __init__(self) -> None:
        # Owner-only: the web server's user (which serves the media folder) cannot read these files.
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:
        return str(settings.PASAR_PRIVATE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a view that checks the user.")

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return ("pasar.core.storage.PrivateStorage", (), {})


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of a private ``FileField`` (a callable, so migrations do not freeze a path)."""
    return _private


def private_name(folder: str, filename: str) -> str:
    """``folder/YYYY/MM/<random>.<ext>``: 128 random bits, the extension kept for the content type."""
    extension = Path(filename).suffix.lower()
    now = timezone.localtime()
    return f"{folder}/{now:%Y/%m}/{secrets.token_urlsafe(16)}{extension}"
