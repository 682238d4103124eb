"""Production: refuses to start without SECRET_KEY and DATABASE_URL (base reads them
without defaults) and switches on every transport-security setting."""

from .base import *  # noqa: F403
from .base import env, logging_config

DEBUG = False
TWO_FACTOR_SKIP_FOR_DEMO = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True

# One JSON object per line on stdout/stderr, one line per request (woonoverlast/logs.py).
LOGGING = logging_config(
    json_lines=env.bool("LOG_JSON", default=True),
    level=env("LOG_LEVEL", default="INFO"),
    requests=True,
)
