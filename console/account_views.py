"""Account pages that change credentials, wrapped so that each change leaves an audit event:
the password change (knowing the old one) and the reset by e-mail (proving the address),
which is also the way back in for an account locked by someone guessing its password."""

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy

from console import audit_log, login_throttle
from console.api_tokens import revoke_all_tokens
from console.reauth import password_matches


def _revoke_tokens_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="Revoke all my API tokens",
        required=False,
        initial=True,
        help_text="Recommended: tokens made by anyone who knew the old password stop working.",
    )


class PasswordChangeWithTokensForm(PasswordChangeForm):
    """Django's form, plus the offer to revoke the API tokens: whoever learnt the old
    password may have made some."""

    revoke_tokens = _revoke_tokens_field()

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


class SetPasswordWithTokensForm(SetPasswordForm):
    """Django's new-password form of the reset, with the same offer as the change."""

    revoke_tokens = _revoke_tokens_field()


class PasswordResetView(auth_views.PasswordResetView):
    # Django's view answers the same whether or not the address has an account, so the page
    # tells no one which addresses do.
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of the e-mail proves the address: the new password is set, the account's
    lockouts from every address are cleared, and the reset is audited."""

    form_class = SetPasswordWithTokensForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            revoked = (
                revoke_all_tokens(form.user, request=self.request)
                if form.cleaned_data["revoke_tokens"]
                else 0
            )
            cleared = login_throttle.clear_account(form.user)
            audit_log.record(
                "user.password_reset",
                project=None,
                actor=form.user,
                request=self.request,
                after={"api_tokens_revoked": revoked, "lockouts_cleared": cleared},
            )
        return response


password_reset = PasswordResetView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
