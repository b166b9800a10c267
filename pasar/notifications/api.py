"""JSON endpoints of the notifications app, mounted at /api/v1 in pasar/api.py."""

from ninja import Router

router = Router(tags=["notifications"])
