"""What the buyer is told when a standing order's date is settled (WhatsApp templates, English msgids)."""

from django.utils.translation import gettext_noop

from pasar.notifications.messages import Template

STANDING_PLACED = Template(
    name="pesanan_rutin_dipesan",
    inbox=gettext_noop("Standing order %(name)s for %(date)s is placed as order %(number)s. %(changes)s"),
    params=("name", "date", "number", "changes", "url"),
)
STANDING_EMPTY = Template(
    name="pesanan_rutin_kosong",
    inbox=gettext_noop("Standing order %(name)s for %(date)s was not placed: nothing on it is available. %(changes)s"),
    params=("name", "date", "changes", "url"),
)
STANDING_MISSED = Template(
    name="pesanan_rutin_terlewat",
    inbox=gettext_noop(
        "Standing order %(name)s for %(date)s was missed: it could not be placed in time. Nothing was ordered."
    ),
    params=("name", "date", "url"),
)
STANDING_FAILED = Template(
    name="pesanan_rutin_gagal",
    inbox=gettext_noop("Standing order %(name)s for %(date)s could not be placed: %(reason)s"),
    params=("name", "date", "reason", "url"),
)
