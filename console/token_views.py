"""The API tokens page of a person's profile: create (shown once), list, revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from console.api_tokens import issue_token, revoke_token
from console.errors import Conflict
from console.models import User
from console.models.tokens import ApiToken


class TokenForm(forms.Form):
    description = forms.CharField(
        max_length=200,
        required=False,
        help_text="What the token is for, such as 'deploy pipeline', to tell tokens apart.",
    )


def _own_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required lets only signed-in users through"
    return user


def _page(request: HttpRequest, form: TokenForm, new_token: str | None = None) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=_own_user(request))
    return render(
        request,
        "console/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    _, token = issue_token(_own_user(request), form.cleaned_data["description"], request=request)
    # Rendered, not redirected: the clear text must not travel through the session.
    return _page(request, TokenForm(), new_token=token)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    # Only one's own tokens: anybody else's is as unknown as one that never existed.
    row = ApiToken.objects.filter(user=_own_user(request), pk=token_id).first()
    if row is None:
        raise Http404("No such token")
    try:
        revoke_token(row, actor=_own_user(request), request=request)
    except Conflict as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, f"Token {row.prefix}… is revoked; requests using it now fail.")
    return redirect("api-tokens")
