# Production image: gunicorn serves woonoverlast.wsgi; the same image runs the Celery worker
# and beat (see docker-compose.yml). Static files are collected at build time and served by
# WhiteNoise; uploaded documents live in /data/media, a volume outside the web root.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=woonoverlast.settings.prod \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# WeasyPrint (PDF exports) needs Pango and HarfBuzz; gettext compiles the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
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
    && mkdir -p /data/media \
    && chown woonoverlast /data/media
USER woonoverlast

EXPOSE 8000
CMD ["gunicorn", "woonoverlast.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
