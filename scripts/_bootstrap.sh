# Shared by scripts/run and scripts/test (sourced, not run): find Python >= 3.12, make sure
# uv is there, install the locked dependencies into .venv. Needs nothing installed first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export UV_PYTHON_DOWNLOADS=never
export PATH="$HOME/.local/bin:$PATH"

python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
    local candidate
    for candidate in python3.12 python3.13 python3.14 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$(command -v "$candidate")"; then
            # The real interpreter, not a pyenv shim.
            "$(command -v "$candidate")" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    for candidate in /root/.pyenv/versions/3.12.1/bin/python3.12 \
        /root/.pyenv/versions/3.1[2-9]*/bin/python3 \
        "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 \
        /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        if [[ -x "$candidate" ]] && python_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! PYTHON="$(find_python)"; then
    echo "Woonoverlast needs Python 3.12 or newer; none found on PATH or in ~/.pyenv." >&2
    exit 1
fi

if ! command -v uv >/dev/null 2>&1; then
    echo "==> Installing uv (pip install --user uv)"
    "$PYTHON" -m pip install --user --quiet uv ||
        "$PYTHON" -m pip install --user --quiet --break-system-packages uv
    hash -r
fi
UV="$(command -v uv || echo "$("$PYTHON" -m site --user-base)/bin/uv")"

echo "==> Installing dependencies (uv sync --frozen, Python $("$PYTHON" -c 'import platform; print(platform.python_version())'))"
# --compile-bytecode: the installed packages' .pyc files are written once here (a few seconds
# on a new .venv, nothing on later runs). Where PYTHONDONTWRITEBYTECODE is set (it is on our
# CI machines) Python would otherwise compile Django and every library again in each process
# it starts: every test worker, every Celery worker a test starts, every manage.py step.
"$UV" sync --frozen --quiet --compile-bytecode --python "$PYTHON"
