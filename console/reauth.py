"""Asking a signed-in person for their password again before a sensitive change.

The check goes through `authenticate`, so wrong guesses count towards the same lockout
as the login page's (console.login_throttle): a stolen session cannot guess freely.
"""

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest


def password_matches(request: HttpRequest, password: str) -> bool:
    user = request.user
    email = getattr(user, "email", "")
    if not email:
        return False
    found = authenticate(request, username=email, password=password)
    return found is not None and found.pk == user.pk


def password_field(label: str = "Your password") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
