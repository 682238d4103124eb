"""Shared fixtures. Tests run on real PostgreSQL and Redis (see scripts/test)."""

import gc
import os
import time

import pytest

from partners.choices import Role
from tests.factories.partners import OrganisationFactory, UserFactory

# --- Test order and seed data -----------------------------------------------------------
#
# Seed data (Utrecht's parties, the six criteria, role groups) comes from data migrations.
# A transactional test (live_server, real Celery workers) empties every table when it ends,
# so: (1) every transactional test restores the migrated data first (serialized rollback),
# and (2) the order pytest-django wants (plain db tests, then transactional, then the rest)
# is applied again after pytest's own reordering by session-scoped parameters (Playwright's
# browser_name), which otherwise mixes browser journeys in between plain db tests.


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        if _is_transactional(item) and not (marker and marker.kwargs.get("serialized_rollback")):
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            kwargs["serialized_rollback"] = True
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def _django_order(item) -> int:
    if item.get_closest_marker("starts_the_run"):
        return -1
    if _is_transactional(item):
        return 1
    marker = item.get_closest_marker("django_db")
    return 0 if marker or "db" in getattr(item, "fixturenames", ()) else 2


class _DjangoOrder:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        items.sort(key=_django_order)
        _mark_xdist_groups(config, items)


def _mark_xdist_groups(config, items) -> None:
    """`--dist loadgroup` keeps the tests of one `xdist_group` on one worker by a suffix on
    their node ids (`...::test@group`). pytest-xdist 3.8 writes that suffix to `_nodeid`,
    which pytest 9.2 no longer reads (node ids live in `_id`), so every group was silently
    spread over all workers and the demo data was seeded on each. Until xdist follows, the
    suffix is set here the way pytest 9.2 keeps ids (parsed by the class of the item's own
    `id`, not imported from pytest's private modules); with an older pytest xdist has done it
    already and this changes nothing."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is None or "@" in item.nodeid.rpartition("]")[2]:
            continue
        name = mark.args[0] if mark.args else mark.kwargs.get("name", "default")
        item._id = type(item.id).parse(f"{item.nodeid}@{name}")


def pytest_configure(config):
    config.pluginmanager.register(_DjangoOrder(), "woonoverlast-django-order")


# --- Less garbage-collector work in a long test process ---------------------------------
#
# After collection a worker holds some 300,000 long-lived objects (Django, the test modules,
# the URL and template caches). CPython's collector walks them again and again as requests
# allocate; frozen, they are left out, and the youngest generation is collected after 50,000
# allocations instead of 700. On the CPU-bound 2-core machine this took ~8 % of the workers'
# CPU time off the permission matrix and the case pages (34.6 -> 32.2 s and 35.0 -> 30.7 s
# user time, measured 2026-12-05). Objects are still freed as soon as nothing refers to them.


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


# --- Where the test command's time goes (opt-in) ----------------------------------------
#
# TEST_TIMELINE=<file> appends one line per test phase: worker, start and end (seconds since
# the epoch), phase and node id. `python -m devtools.timeline <file>` turns it into the busy
# workers over time and the tests that kept the run going at its end (docs/tooling.md).


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    path = os.environ.get("TEST_TIMELINE")
    if not path:
        yield
        return
    start = time.time()
    yield
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(path, "a", encoding="utf-8") as timeline:
        timeline.write(f"{worker}\t{start:.3f}\t{time.time():.3f}\t{item.nodeid}\n")


@pytest.fixture
def coordinator(db):
    org = OrganisationFactory(name="U Centraal", executing=True)
    return UserFactory(organisation=org, roles=[Role.COORDINATOR])


@pytest.fixture
def functional_admin(db):
    org = OrganisationFactory(name="U Centraal", executing=True)
    return UserFactory(organisation=org, roles=[Role.FUNCTIONAL_ADMIN])


@pytest.fixture
def partner_representative(db):
    org = OrganisationFactory(name="Politie", police=True)
    return UserFactory(organisation=org, roles=[Role.PARTNER_REPRESENTATIVE])


@pytest.fixture
def verified_client(client):
    """A test client signed in with a verified second factor, as `verified_client(user)`."""
    from devtools.benchmarking import sign_in_verified

    return lambda user: sign_in_verified(client, user)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files (documents, PDFs) in the test's temporary folder, not
    var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


# --- Celery: a real worker against the real broker (STYLE.md) --------------------------


@pytest.fixture(scope="session")
def celery_config():
    """The `celery_worker` fixture's app talks to the broker of CELERY_BROKER_URL; results
    go through the same Redis/Valkey so a test can wait for a task's return value. Under
    pytest-xdist each worker process keeps to its own key prefix (settings/test.py)."""
    from django.conf import settings

    return {
        "broker_url": settings.CELERY_BROKER_URL,
        "result_backend": settings.CELERY_BROKER_URL,
        "broker_transport_options": getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "result_backend_transport_options": getattr(
            settings, "CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS", {}
        ),
        "task_acks_late": True,
        "timezone": settings.TIME_ZONE,
    }


@pytest.fixture
def celery_app(celery_app):
    """Celery's test app with its queue emptied before the test's worker starts: a task an
    earlier test sent and no worker took (a transactional test's commit, an on-commit
    callback run by hand) ran in the next test that started a worker, outside that test's
    database rules (a RuntimeWarning "Database access not allowed" in some orders)."""
    celery_app.control.purge()
    return celery_app


@pytest.fixture(scope="session")
def celery_includes():
    """Modules the test worker imports: Celery's own ping (its start-up check) and ours."""
    return ["celery.contrib.testing.tasks", "woonoverlast.celery"]
