"""Tests: real PostgreSQL and Redis (DATABASE_URL / CELERY_BROKER_URL from scripts/test)."""

import os
import tempfile

os.environ.setdefault("RECIDIVISM_KEY_SECRET", "test-only-recidivism-key")
os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/woonoverlast")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")

from .base import *  # noqa: E402, F403

# Demo data, benchmarks and the dev stack's commands: development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

# Erasures in tests append to a ledger of their own, outside the repository (privacy/ledger.py).
ERASURE_LEDGER_PATH = Path(  # noqa: F405
    os.environ.get("ERASURE_LEDGER_PATH")
    or Path(tempfile.gettempdir()) / f"woonoverlast-test-ledger-{os.getpid()}.jsonl"  # noqa: F405
)

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
TWO_FACTOR_SKIP_FOR_DEMO = False
AXES_ENABLED = True
# Persistent connections only where a test asks (the database-restart fault test's server).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("TEST_DB_CONN_MAX_AGE", "0"))  # noqa: F405
# Django's PostgreSQL backend, emptying tables after a transactional test with DELETE instead
# of one slow TRUNCATE of every table (devtools/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "devtools.postgresql"  # noqa: F405
# A connection left in an open transaction by a thread that ended (seen once under xdist: a
# notification INSERT from a finished thread) holds its locks until the process ends, and
# the next transactional test's TRUNCATE waits for it forever. PostgreSQL ends such a
# session after two minutes, so the run goes on (and the test that leaked shows up in its
# own failure, not as a hung CI job). No test keeps a transaction idle that long.
DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
DATABASES["default"]["OPTIONS"]["options"] += " -c idle_in_transaction_session_timeout=120000"  # noqa: F405

# scripts/test migrates one database first and names it here; each test database is then a
# copy of it instead of being migrated again (devtools/devstack.py, MigratedTemplate). Run
# without scripts/test, pytest-django migrates the test database itself as usual.
if os.environ.get("WOONOVERLAST_TEST_TEMPLATE"):
    DATABASES["default"]["TEST"] = {"TEMPLATE": os.environ["WOONOVERLAST_TEST_TEMPLATE"]}  # noqa: F405

# Parallel tests (pytest-xdist): each worker process gets its own database from pytest-django
# (test_<name>_gw0, _gw1, ...) and its own slice of the broker through a key prefix, so one
# worker's Celery worker never takes another's tasks. A prefix rather than a Redis database
# number per worker: it needs no free databases on a shared Redis and also covers pub/sub.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"woonoverlast-{XDIST_WORKER}:"}
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"woonoverlast-{XDIST_WORKER}:"}
