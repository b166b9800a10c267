"""JSON endpoints of the training app, mounted at /api/v1 in pasar/api.py."""

from ninja import Router

router = Router(tags=["training"])
