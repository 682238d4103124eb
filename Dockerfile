# Production image: gunicorn serves woonoverlast.wsgi; the same image runs the Celery worker
# and beat (see docker-compose.yml). Static files are collected at build time and served by
# WhiteNoise; uploaded documents live in /data/media, a volume outside the web root; the
# erasure ledger in /data/ledger, a volume of its own (docs/operations.md).
# Debian 13 (trixie): its postgresql-client is 17, the server's major version in compose, so
# `manage.py backup` (pg_dump) and `restore` (pg_restore) run in this image.
FROM python:3.12-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=woonoverlast.settings.prod \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    ERASURE_LEDGER_PATH=/data/ledger/erasures.jsonl

# WeasyPrint (PDF exports) needs Pango and HarfBuzz; gettext compiles the translations;
# postgresql-client brings pg_dump and pg_restore for backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

COPY . .
# Build-time values only: nothing here connects to a database or is kept in the image.
RUN SECRET_KEY=build-only RECIDIVISM_KEY_SECRET=build-only \
    DATABASE_URL=postgres://build@localhost/build \
    sh -c 'if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
               python manage.py compilemessages --ignore=.venv; fi \
           && python manage.py collectstatic --no-input'

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin woonoverlast \
    && mkdir -p /data/media /data/ledger /backups \
    && chown woonoverlast /data/media /data/ledger /backups
USER woonoverlast

EXPOSE 8000
# The process answers (woonoverlast/health.py); compose checks /health/ready for web and
# overrides this for the worker and beat, which serve no HTTP.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=4)"]
# No gunicorn access log: it would print every URL with its query string (a search by name).
# The application logs one JSON line per request instead (woonoverlast/logs.py).
CMD ["gunicorn", "woonoverlast.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--forwarded-allow-ips", "*"]
