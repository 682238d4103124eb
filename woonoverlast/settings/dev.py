"""Developer machine: defaults so `scripts/run` works with nothing configured."""

import os

os.environ.setdefault("RECIDIVISM_KEY_SECRET", "dev-only-recidivism-key")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-in-production")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
os.environ.setdefault("TWO_FACTOR_SKIP_FOR_DEMO", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402, F403

# Demo data, benchmarks and the dev stack's commands: development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
