"""The API tokens page of a person's profile: create (shown once), list, revoke."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from console.api_tokens import issue_token, revoke_token
from console.errors import Conflict
from console.forms import TypedChoiceField
from console.http import AuthenticatedHttpRequest
from console.models.tokens import ApiToken
from console.reauth import password_field, password_matches

# Lifetimes offered on the page; the platform's API speaks of them in seconds.
LIFETIMES = [
    ("", "Until revoked"),
    ("3600", "1 hour"),
    ("86400", "1 day"),
    ("2592000", "30 days"),
    ("7776000", "90 days"),
]


class TokenForm(forms.Form):
    description = forms.CharField(
        max_length=200,
        required=False,
        help_text="What the token is for, such as 'deploy pipeline', to tell tokens apart.",
    )
    max_age_seconds = TypedChoiceField(
        label="Lifetime",
        choices=LIFETIMES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    extend_when_used = forms.BooleanField(
        label="Extend the lifetime each time the token is used",
        required=False,
    )
    password = password_field()

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields[
            "password"
        ].help_text = "Asked again, so that a session left open cannot make tokens."

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not password_matches(self.request, password):
            raise forms.ValidationError("That is not your password; type the one you log in with.")
        return password


def _page(
    request: AuthenticatedHttpRequest, form: TokenForm, new_token: str | None = None
) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "console/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


# never_cache: the page may show a new token's clear text, which no cache may keep.
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, TokenForm(request=request))
    form = TokenForm(request.POST, request=request)
    if not form.is_valid():
        return _page(request, form)
    _, token = issue_token(
        request.user,
        form.cleaned_data["description"],
        max_age_seconds=form.cleaned_data["max_age_seconds"],
        extend_when_used=form.cleaned_data["extend_when_used"],
        request=request,
    )
    # Rendered, not redirected: the clear text must not travel through the session.
    return _page(request, TokenForm(request=request), new_token=token)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    # Only one's own tokens: anybody else's is as unknown as one that never existed.
    row = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if row is None:
        raise Http404("No such token")
    try:
        revoke_token(row, actor=request.user, request=request)
    except Conflict as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, f"Token {row.prefix}… is revoked; requests using it now fail.")
    return redirect("api-tokens")
