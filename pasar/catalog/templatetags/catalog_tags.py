from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def posted_value(posted: Any, key: str, prefix: str, default: object) -> object:
    """The value a person typed (kept after a refused save), else the stored one."""
    if posted is None:
        return default
    return posted.get(f"{prefix}-{key}", "")


@register.simple_tag
def posted_checked(posted: Any, key: str, default: bool) -> bool:
    if posted is None:
        return default
    return f"available-{key}" in posted


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
