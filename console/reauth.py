"""Asking a signed-in person for their password again before a sensitive step, and
remembering for REAUTH_SECONDS that they did (revealing or downloading service secrets).

The check goes through `authenticate`, so wrong guesses count towards the same lockout
as the login page's (console.login_throttle): a stolen session cannot guess freely.
"""

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

# Session key: when this session last proved its password (seconds since the epoch).
CONFIRMED_AT = "reauth_confirmed_at"
WRONG_PASSWORD = "That is not your password; type the one you log in with."


def password_matches(request: HttpRequest, password: str) -> bool:
    user = request.user
    email = getattr(user, "email", "")
    if not email:
        return False
    found = authenticate(request, username=email, password=password)
    return found is not None and found.pk == user.pk


def confirm(request: HttpRequest, password: str) -> bool:
    """Check the password; when right, the session counts as recently confirmed."""
    if not password_matches(request, password):
        return False
    request.session[CONFIRMED_AT] = time.time()
    return True


def recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(CONFIRMED_AT)
    if not isinstance(confirmed_at, (int, float)):
        return False
    return 0 <= time.time() - confirmed_at < settings.REAUTH_SECONDS


def password_field(label: str = "Your password") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ConfirmPasswordForm(forms.Form):
    """The password, checked (and the session marked) in `is_valid`."""

    password = password_field()

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not confirm(self.request, password):
            raise forms.ValidationError(WRONG_PASSWORD)
        return password
