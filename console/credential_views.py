"""Service users' secrets on the pages: Reveal (password, client certificate, client key),
file downloads (the project's CA, a user's certificate and key), the password check that
guards every secret, and adding or deleting users. No answer that carries a secret, or asks
for the password, may be kept by a cache: they are all no-store."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console import actions, project_ca
from console.access import get_membership_for, get_service_and_membership_for
from console.credentials import Credentials
from console.errors import ActionError, echo
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from console.reauth import ConfirmPasswordForm, recently_confirmed

# What Reveal can show, with the words the page uses; `guarded` ones ask for the password.
SECRETS = {
    "password": ("password", True),
    "access_cert": ("certificate", False),
    "access_key": ("key", True),
}
PEM = "application/x-pem-file"


def _revealed(
    request: AuthenticatedHttpRequest, service: Service, username: str, secret: str
) -> str:
    if secret == "password":
        return actions.reveal_password(service, username, actor=request.user, request=request)
    if secret == "access_key":
        return actions.reveal_access_key(service, username, actor=request.user, request=request)
    return actions.access_certificate(service, username)


def _secret_fragment(
    request: AuthenticatedHttpRequest,
    service: Service,
    membership: Membership,
    username: str,
    secret: str,
    *,
    revealed: str | None = None,
    form: ConfirmPasswordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    template = "console/service_secret.html"
    if request.htmx and not request.htmx.boosted:
        template += "#secret"
    return render(
        request,
        template,
        {
            "project": membership.project,
            "membership": membership,
            "service": service,
            "service_user": Credentials(username, "", None),
            "secret": secret,
            "secret_label": SECRETS[secret][0],
            "revealed": revealed,
            "confirm_form": form,
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def service_user_reveal(
    request: AuthenticatedHttpRequest, project: str, service: str, username: str
) -> HttpResponse:
    """Show one of a service user's secrets to a member who may change the service, once
    they have typed their password (or did so in the last REAUTH_SECONDS); audited."""
    svc, membership = get_service_and_membership_for(request.user, project, service, write=True)
    secret = request.POST.get("secret", "password")
    if secret not in SECRETS:
        return HttpResponseBadRequest(
            f"Unknown secret {echo(repr(secret))}; reveal one of {', '.join(SECRETS)}.",
            content_type="text/plain; charset=utf-8",
        )
    guarded = SECRETS[secret][1]
    if guarded and not recently_confirmed(request):
        if "password" not in request.POST:
            form = ConfirmPasswordForm(request=request)
            return _secret_fragment(request, svc, membership, username, secret, form=form)
        form = ConfirmPasswordForm(request.POST, request=request)
        if not form.is_valid():
            return _secret_fragment(
                request, svc, membership, username, secret, form=form, status=400
            )
    revealed = _revealed(request, svc, username, secret)
    return _secret_fragment(request, svc, membership, username, secret, revealed=revealed)


def _pem_file(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PEM)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def service_user_create(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> HttpResponse:
    """ "Add user" on the Overview page: a generated password (and, on Kafka, a certificate)."""
    svc, _ = get_service_and_membership_for(request.user, project, service, write=True)
    username = request.POST.get("username", "").strip()
    try:
        actions.create_service_user(svc, username, actor=request.user, request=request)
    except ActionError as exc:
        messages.error(request, f"The user was not added: {exc.message}")
    else:
        messages.success(request, f"Added {username}; reveal its password below.")
    return redirect(f"{reverse('service-overview', args=[project, service])}#users-heading")


@login_required
@require_POST
def service_user_delete(
    request: AuthenticatedHttpRequest, project: str, service: str, username: str
) -> HttpResponse:
    svc, _ = get_service_and_membership_for(request.user, project, service, write=True)
    try:
        actions.delete_service_user(svc, username, actor=request.user, request=request)
    except ActionError as exc:
        messages.error(request, f"The user was not deleted: {exc.message}")
    else:
        messages.success(request, f"Deleted {username}.")
    return redirect(f"{reverse('service-overview', args=[project, service])}#users-heading")


@never_cache
@login_required
@require_GET
def project_ca_download(request: AuthenticatedHttpRequest, project: str) -> HttpResponse:
    """ca.pem: the CA that signs the project's Kafka users' certificates (any member)."""
    membership = get_membership_for(request.user, project)
    return _pem_file(project_ca.ca_of(membership.project).certificate, "ca.pem")


@never_cache
@login_required
@require_GET
def service_user_certificate(
    request: AuthenticatedHttpRequest, project: str, service: str, username: str
) -> HttpResponse:
    """service.cert, for members who may change the service (as the API gives it)."""
    svc, _ = get_service_and_membership_for(request.user, project, service, write=True)
    return _pem_file(actions.access_certificate(svc, username), "service.cert")


@never_cache
@login_required
@require_GET
def service_user_key(
    request: AuthenticatedHttpRequest, project: str, service: str, username: str
) -> HttpResponse:
    """service.key, after a recent password check (else the check first, then back here);
    every download is audited."""
    svc, _ = get_service_and_membership_for(request.user, project, service, write=True)
    if not recently_confirmed(request):
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('reauth')}?{query}")
    key = actions.reveal_access_key(
        svc, username, actor=request.user, request=request, how="download"
    )
    return _pem_file(key, "service.key")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Confirm your password", then on to `next` (a path of this site only)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = reverse("project-list")
    form = ConfirmPasswordForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        return HttpResponseRedirect(wanted)
    status = 400 if form.errors else 200
    return render(
        request, "registration/reauth.html", {"form": form, "next": wanted}, status=status
    )
