"""The unit vocabulary. Weighed units are sold by quantity steps (0.25 kg); counted ones in whole units."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    ONS = "ons", _("ons (100 g)")
    GRAM = "gram", _("gram")
    LITER = "liter", _("liter")
    IKAT = "ikat", _("bunch (ikat)")
    BUTIR = "butir", _("egg/piece (butir)")
    EKOR = "ekor", _("whole animal (ekor)")
    PAPAN = "papan", _("slab (papan)")
    BUNGKUS = "bungkus", _("pack (bungkus)")
    BUAH = "buah", _("piece (buah)")
    BIJI = "biji", _("piece (biji)")
    SISIR = "sisir", _("hand of bananas (sisir)")
    POTONG = "potong", _("cut (potong)")
    SIUNG = "siung", _("clove (siung)")
    LEMBAR = "lembar", _("sheet (lembar)")
    BATANG = "batang", _("stalk (batang)")
    BOTOL = "botol", _("bottle")
    SACHET = "sachet", _("sachet")
    PCS = "pcs", _("pcs")
    PASANG = "pasang", _("pair")
    METER = "meter", _("metre")


WEIGHED_UNITS = frozenset({Unit.KG, Unit.ONS, Unit.GRAM, Unit.LITER})

# Sensible defaults for the smallest step a buyer can order.
DEFAULT_STEP = {Unit.KG: Decimal("0.25"), Unit.LITER: Decimal("0.5"), Unit.GRAM: Decimal("100")}
