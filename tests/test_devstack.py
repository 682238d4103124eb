"""The developer stack: its pure decisions, and a task round trip through a real worker."""

import os
from pathlib import Path

import pytest

from devtools import devstack


def test_database_url_points_at_loopback_with_the_postgres_user():
    assert devstack.database_url(port=54329, name="woonoverlast") == (
        "postgres://postgres@127.0.0.1:54329/woonoverlast"
    )


def test_broker_url_defaults_to_database_zero():
    assert devstack.broker_url(port=16380) == "redis://127.0.0.1:16380/0"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, None),
        ({"DATABASE_URL": ""}, None),
        ({"DATABASE_URL": "postgres://x@db/y"}, "postgres://x@db/y"),
    ],
)
def test_configured_database_only_when_set_and_not_empty(env, expected):
    assert devstack.configured_database(env) == expected


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, None),
        ({"REDIS_URL": "redis://r:6379/1"}, "redis://r:6379/1"),
        (
            {"CELERY_BROKER_URL": "redis://c:6379/2", "REDIS_URL": "redis://r:6379/1"},
            "redis://c:6379/2",
        ),
    ],
)
def test_celery_broker_url_wins_over_redis_url(env, expected):
    assert devstack.configured_broker(env) == expected


def test_pick_port_takes_the_preferred_port_when_free():
    assert devstack.pick_port(54329, lambda port: True) == 54329


def test_pick_port_moves_up_past_busy_ports():
    busy = {54329, 54330}
    assert devstack.pick_port(54329, lambda port: port not in busy) == 54331


def test_pick_port_leaves_the_choice_to_the_os_when_everything_is_busy():
    assert devstack.pick_port(54329, lambda port: False, attempts=3) == 0


@pytest.mark.parametrize("count, seed", [(0, True), (1, False), (12, False), (None, False)])
def test_demo_data_only_goes_into_a_database_without_users(count, seed):
    assert devstack.needs_demo_data(count) is seed


def test_socket_dir_is_the_data_folder_when_short_enough():
    assert devstack.socket_dir_for(Path("/srv/app/var/pg/data"), 54329) == "/srv/app/var/pg/data"


def test_socket_dir_falls_back_to_tcp_only_for_long_paths():
    assert devstack.socket_dir_for(Path("/" + "x" * 120), 54329) == ""


@pytest.mark.parametrize(
    "text, pid",
    [("4242\n/var/pg/data\n1700000000\n54329\n", 4242), ("", None), ("garbage\n", None)],
)
def test_postmaster_pid_reads_the_first_line(text, pid):
    assert devstack.postmaster_pid(text) == pid


def test_a_postgres_on_our_data_folder_is_ours():
    data = Path("/srv/app/var/pg/data")
    assert devstack.is_our_postmaster(["/venv/bin/postgres", "-D", str(data), "-c", "port=1"], data)


@pytest.mark.parametrize(
    "cmdline",
    [
        [],
        ["/usr/bin/python3", "-D", "/srv/app/var/pg/data"],
        ["/usr/lib/postgresql/15/bin/postgres", "-D", "/other"],
    ],
)
def test_a_reused_pid_or_another_cluster_is_not_ours(cmdline):
    assert not devstack.is_our_postmaster(cmdline, Path("/srv/app/var/pg/data"))


def test_deploy_check_env_uses_production_settings_and_long_random_secrets():
    env = devstack.deploy_check_env(
        {"DEBUG": "true", "DJANGO_ALLOW_ASYNC_UNSAFE": "true", "PATH": "/bin"}
    )
    assert env["DJANGO_SETTINGS_MODULE"] == "woonoverlast.settings.prod"
    assert len(env["SECRET_KEY"]) >= 50
    assert len(set(env["SECRET_KEY"])) >= 5
    assert "DEBUG" not in env
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in env
    assert env["PATH"] == "/bin"
    assert devstack.deploy_check_env({})["SECRET_KEY"] != env["SECRET_KEY"]


def test_profiles_for_run_and_test_never_share_data_or_ports():
    run, test = devstack.PROFILES["run"], devstack.PROFILES["test"]
    assert run.pg_dir != test.pg_dir
    assert run.valkey_dir != test.valkey_dir
    assert {run.pg_port, test.pg_port, run.valkey_port, test.valkey_port}.isdisjoint({5432, 6379})
    assert len({run.pg_port, test.pg_port, run.valkey_port, test.valkey_port}) == 4


def test_a_task_round_trips_through_a_real_worker(celery_worker):
    from woonoverlast.celery import ping

    assert ping.delay().get(timeout=10) == "pong"


def _settings_variables() -> set[str]:
    import re

    names: set[str] = set()
    for path in (devstack.ROOT / "woonoverlast" / "settings").glob("*.py"):
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
    return names


@pytest.mark.parametrize("document", [".env.example", "README.md"])
def test_every_environment_variable_the_settings_read_is_documented(document):
    names = _settings_variables()
    assert len(names) > 20  # the pattern still finds them
    text = (devstack.ROOT / document).read_text()
    assert sorted(name for name in names if name not in text) == []


def test_production_installs_no_development_tools():
    """devtools (demo data, benchmarks, the dev stack) is installed by the dev and test
    settings only; the production image is built without it and without its libraries."""
    settings_dir = devstack.ROOT / "woonoverlast" / "settings"
    for name in ("base.py", "prod.py"):
        assert "devtools" not in (settings_dir / name).read_text()
    dockerfile = (devstack.ROOT / "Dockerfile").read_text()
    assert "--no-dev" in dockerfile
    assert "devtools" in (devstack.ROOT / ".dockerignore").read_text().split()


@pytest.mark.parametrize(
    ("argv", "cpus", "env", "expected"),
    [
        ([], 2, {}, 2),
        ([], 1, {}, 1),
        ([], 3, {}, 3),
        ([], 16, {}, 4),
        (["-k", "deadlines"], 2, {}, 2),
        (["-n", "2"], 2, {}, -1),
        (["-n2"], 2, {}, -1),
        (["--numprocesses=3"], 2, {}, -1),
        (["-p", "no:xdist"], 2, {}, -1),
        ([], 2, {"TEST_WORKERS": "1"}, 1),
        ([], 2, {"TEST_WORKERS": "6"}, 6),
    ],
)
def test_pytest_workers(argv, cpus, env, expected):
    assert devstack.pytest_workers(argv, cpus, env) == expected


def test_xdist_args():
    assert devstack.xdist_args(-1) == []
    assert devstack.xdist_args(1) == ["-n", "0"]
    assert devstack.xdist_args(3) == ["-n", "3", "--dist", "loadgroup", "--no-loadscope-reorder"]


# --- The migrated template behind the test databases ----------------------------------


def _project(tmp_path: Path, migration: str = "ops = []") -> Path:
    (tmp_path / "cases" / "migrations").mkdir(parents=True)
    (tmp_path / "cases" / "migrations" / "0001_initial.py").write_text(migration)
    (tmp_path / "uv.lock").write_text("pytest 9.2.0")
    return tmp_path


def test_the_template_is_the_same_until_a_migration_or_the_lock_changes(tmp_path):
    root = _project(tmp_path)
    first = devstack.migrations_fingerprint(root)
    assert devstack.migrations_fingerprint(root) == first
    (root / "cases" / "views.py").write_text("# nothing the database is made of")
    assert devstack.migrations_fingerprint(root) == first
    (root / "cases" / "migrations" / "0002_more.py").write_text("ops = [1]")
    second = devstack.migrations_fingerprint(root)
    assert second != first
    (root / "uv.lock").write_text("pytest 9.3.0")
    assert devstack.migrations_fingerprint(root) not in (first, second)
    assert devstack.template_database(first) == f"woonoverlast_template_{first}"


@pytest.mark.parametrize(
    "path",
    ["cases/models.py", "cases/models/plan.py", "partners/roles.py", "partners/seed/utrecht.json"],
)
def test_the_template_changes_with_what_post_migrate_and_the_seed_read(tmp_path, path):
    """Permissions (models' Meta), role groups (partners/roles.py, on post_migrate) and the
    seed files end up in the migrated database too: a cached template must not outlive them."""
    root = _project(tmp_path)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text("one")
    first = devstack.migrations_fingerprint(root)
    (root / path).write_text("two")
    assert devstack.migrations_fingerprint(root) != first


def test_the_template_cache_is_outside_the_checkout_and_can_be_switched_off(tmp_path):
    assert devstack.template_cache_dir({"WOONOVERLAST_CACHE": str(tmp_path)}) == (
        tmp_path / "test-templates"
    )
    assert devstack.template_cache_dir({"TEST_TEMPLATE_CACHE": "0"}) is None
    dump = devstack.template_dump(tmp_path, "woonoverlast_template_abc", 18)
    assert dump.name == "woonoverlast_template_abc-pg18.dump"


def test_a_committed_template_is_tried_before_the_cache_and_only_on_the_embedded_server(
    tmp_path,
):
    snapshots = devstack.template_snapshots({}, embedded=True)
    assert snapshots == devstack.ROOT / "devtools" / "test_template"
    assert devstack.template_snapshots({}, embedded=False) is None  # DATABASE_URL given
    assert devstack.template_snapshots({"TEST_TEMPLATE_CACHE": "0"}, embedded=True) is None
    cache = tmp_path / "cache"
    assert devstack.template_sources(
        "woonoverlast_template_abc", 18, snapshots=snapshots, cache=cache
    ) == [
        snapshots / "woonoverlast_template_abc-pg18.dump",
        cache / "woonoverlast_template_abc-pg18.dump",
    ]
    assert devstack.template_sources("t", 18, snapshots=None, cache=None) == []


def test_only_the_most_recently_used_dumps_are_kept(tmp_path):
    dumps = []
    for age in range(5):
        dump = tmp_path / f"t{age}.dump"
        dump.write_text("x")
        os.utime(dump, (1_000_000 - age, 1_000_000 - age))
        dumps.append(dump)
    assert devstack.dumps_to_drop(dumps, keep=3) == dumps[3:]


def test_with_database_keeps_server_and_credentials():
    url = "postgres://postgres:secret@127.0.0.1:54339/woonoverlast?sslmode=disable"
    assert devstack.with_database(url, "postgres") == (
        "postgres://postgres:secret@127.0.0.1:54339/postgres?sslmode=disable"
    )


def test_stale_templates_are_other_migrations_and_builds_whose_builder_is_gone():
    keep = devstack.template_database("aaaaaaaaaaaa")
    gone_pid = 2**22 + 12345  # above Linux's default pid_max: no such process
    existing = [
        keep,
        devstack.template_database("bbbbbbbbbbbb"),
        f"{keep}_build{gone_pid}",
        f"{keep}_build{os.getpid()}",  # being built by a live process: left alone
        "woonoverlast",  # not a template at all
    ]
    assert devstack.stale_templates(existing, keep=keep) == [
        devstack.template_database("bbbbbbbbbbbb"),
        f"{keep}_build{gone_pid}",
    ]
