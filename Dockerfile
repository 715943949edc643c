# The console image: gunicorn for the web, the same image runs the Celery worker and beat.
# Stage 1 builds the virtualenv; stage 2 carries only the venv and the code, as a non-root user.

FROM python:3.13-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt


FROM python:3.13-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=console.settings \
    VAR_DIR=/app/var
RUN useradd --system --create-home --uid 10001 console
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=console:console . /app
# Static files are collected into the image; the secret and the throw-away credentials
# key are only for this build step.
RUN SECRET_KEY=collectstatic-only-not-a-secret \
    CREDENTIALS_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown console:console /app/var
USER console
EXPOSE 8000
# /healthz answers 200 when the database and the broker answer. The Host header is the
# first ALLOWED_HOSTS entry, so the check passes Django's host validation.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD \
    python -c "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].lstrip('.*') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"
# gunicorn believes X-Forwarded-Proto and SCRIPT_NAME only from the proxies named in
# FORWARDED_ALLOW_IPS (default 127.0.0.1,::1); the console reads the same variable for
# X-Forwarded-For and X-Request-ID. Set it to the address or network of the proxy in front.
CMD ["gunicorn", "console.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
