"""Account pages that change credentials, wrapped so that each change leaves an audit event."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from console import audit_log
from console.models import User

_django_password_change = auth_views.PasswordChangeView.as_view()


@login_required
def password_change(request: HttpRequest) -> HttpResponseBase:
    """Django's password change form; a successful change (a redirect) is audited."""
    response = _django_password_change(request)
    if request.method == "POST" and response.status_code == 302 and isinstance(request.user, User):
        audit_log.record("user.password_change", project=None, actor=request.user, request=request)
    return response
