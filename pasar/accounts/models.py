from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasar.core.phone import normalize_phone


class UserManager(BaseUserManager["User"]):
    def create_user(self, phone: str, password: str | None = None, **extra: Any) -> "User":
        normalized = normalize_phone(phone)
        if normalized is None:
            raise ValueError(f"not an Indonesian phone number: {phone!r}")
        user = self.model(phone=normalized, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by an Indonesian mobile number in E.164 form (+628...).

    Roles are not flags here: they are rows in the app that owns the scope
    (``OfficerAssignment`` below, ``markets.MarketRole``, ``traders.Trader``).
    """

    phone = models.CharField(_("phone number"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when someone else chose the PIN (an operator's registration or import, a PIN reset): the
    # person must choose their own before anything else (``accounts.middleware.OwnPasswordMiddleware``).
    must_change_password = models.BooleanField(_("must choose a new PIN"), default=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=models.Q(phone__startswith="+62"), name="user_phone_is_indonesian"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.phone


# Who is acting on a request: a logged-in user or an anonymous visitor.
type Actor = User | AnonymousUser


class OfficerAssignment(models.Model):
    """A government officer (dinas) who may read everything inside one region."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="officer_assignments")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    agency = models.CharField(_("agency"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("government officer")
        verbose_name_plural = _("government officers")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="officer_unique_region")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.region}"


class Consent(models.Model):
    """Proof of consent (UU PDP art. 24): who agreed to which version of the privacy notice, when and how.

    Never updated except to stamp ``withdrawn_at``; agreeing again is a new row.
    """

    class How(models.TextChoices):
        WEB = "web", _("On the website")
        OPERATOR = "operator", _("Recorded by the market operator at registration")
        IMPORT = "import", _("Recorded by the market operator with a trader list")
        CHAT = "chat", _("By chat message")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    version = models.CharField(_("notice version"), max_length=20)
    how = models.CharField(max_length=10, choices=How.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} v{self.version} {self.how}"


class PersonalDataAccess(models.Model):
    """The audit log: someone viewed or exported other people's personal data (never updated or deleted).

    ``subject`` is the person when one page shows one person's data (an order, a stall); lists of many
    people (a market's traders, an export) leave it empty and say what in ``what``. ``what`` names
    objects by id, never by a person's name, so the log itself holds no names or numbers.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        CHANGE = "change", _("Changed")
        ERASE = "erase", _("Anonymised")

    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    what = models.CharField(max_length=120)
    path = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.what}"


class Business(models.Model):
    """A buyer that is a business (hotel, restaurant, catering, warung): the people in ``members`` order for it.

    The payment terms it agrees with each market, invoices and statements live in higher apps; this row is
    low so that any app (orders' bargaining rule, invoices, dashboards) can ask "is this buyer a business?".
    """

    class Kind(models.TextChoices):
        HOTEL = "hotel", _("Hotel")
        RESTAURANT = "restaurant", _("Restaurant")
        CATERING = "catering", _("Catering")
        WARUNG = "warung", _("Warung")
        OTHER = "other", _("Other business")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    address = models.TextField(_("address"), max_length=500)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True, help_text=_("Tax number, if it has one."))
    members: models.ManyToManyField["User", "BusinessMember"] = models.ManyToManyField(
        "User", through="BusinessMember", related_name="businesses"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self) -> str:
        return self.name


class BusinessMember(models.Model):
    """A contact person who may order for the business; ``is_owner`` may add and remove the others."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="business_memberships")
    is_owner = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "user"], name="business_member_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.business_id}"


def is_business_buyer(user: "User | AnonymousUser") -> bool:
    """Whether the user orders for at least one business."""
    return bool(user.is_authenticated and BusinessMember.objects.filter(user_id=user.pk).exists())
