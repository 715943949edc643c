"""Users (who log in with an email address), projects and the roles that tie them."""

from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from console.host_names import project_name_problem

_M = TypeVar("_M", bound=models.Model)


class AccessRowsQuerySet(models.QuerySet[_M]):
    """Rows the access check reads (users, memberships): an `update()` forgets the access
    decisions kept for the users it touched (console.changes), as saves and deletes do
    through signals, so that a demoted or removed member is checked afresh at once."""

    user_path = "user_id"

    def update(self, **kwargs: object) -> int:
        from console import changes

        users = set(self.values_list(self.user_path, flat=True))
        count = super().update(**kwargs)
        for user_id in users if count else ():
            changes.access_changed(user_id)
        return count


class UserQuerySet(AccessRowsQuerySet["User"]):
    user_path = "pk"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.email


slug_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{0,62}$",
    "Use 1 to 63 lowercase letters, digits and hyphens, starting with a letter.",
)


class Project(models.Model):
    name = models.CharField(max_length=63, unique=True, validators=[slug_validator])
    created = models.DateTimeField(auto_now_add=True)
    # Platform accounts are shared by projects: this caps what one project may take of one.
    privatelink_limit = models.PositiveIntegerField(
        "PrivateLinks per region",
        null=True,
        blank=True,
        help_text="How many PrivateLinks the project may have in each cloud region. "
        "Empty: the platform's default (PRIVATELINK_MAX_PER_PROJECT_REGION).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def privatelinks_per_region(self) -> int:
        """The project's limit: its own when an admin set one, else the platform's default."""
        if self.privatelink_limit is not None:
            return self.privatelink_limit
        limit: int = settings.PRIVATELINK_MAX_PER_PROJECT_REGION
        return limit

    def clean(self) -> None:
        # Its name becomes part of every host of its services (`console.host_names`).
        # Only at creation: a project created under earlier rules keeps its name.
        if self._state.adding and (problem := project_name_problem(self.name)):
            raise ValidationError({"name": problem})


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    DEVELOPER = "developer", "Developer"
    OPERATOR = "operator", "Operator"
    READ_ONLY = "read_only", "Read only"

    @property
    def can_write(self) -> bool:
        return self != Role.READ_ONLY


class Membership(models.Model):
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.DEVELOPER)
    created = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(AccessRowsQuerySet["Membership"])()

    class Meta:
        constraints = [
            # One role per person per project: the access check reads exactly one row.
            models.UniqueConstraint(
                fields=["user", "project"], name="membership_one_per_user_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} as {self.role}"

    @property
    def can_write(self) -> bool:
        return Role(self.role).can_write
