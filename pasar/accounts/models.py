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
