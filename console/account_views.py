"""Account pages that change credentials, wrapped so that each change leaves an audit event."""

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from console import audit_log
from console.api_tokens import revoke_all_tokens
from console.reauth import password_matches


class PasswordChangeWithTokensForm(PasswordChangeForm):
    """Django's form, plus the offer to revoke the API tokens: whoever learnt the old
    password may have made some."""

    revoke_tokens = forms.BooleanField(
        label="Revoke all my API tokens",
        required=False,
        initial=True,
        help_text="Recommended: tokens made by anyone who knew the old password stop working.",
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        # Through authenticate, so that guessing here counts towards the login lockout.
        old_password: str = self.cleaned_data["old_password"]
        if not password_matches(self.request, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeWithTokensForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            revoked = (
                revoke_all_tokens(form.user, request=self.request)
                if form.cleaned_data["revoke_tokens"]
                else 0
            )
            audit_log.record(
                "user.password_change",
                project=None,
                actor=form.user,
                request=self.request,
                after={"api_tokens_revoked": revoked},
            )
        return response


password_change = login_required(PasswordChangeView.as_view())
