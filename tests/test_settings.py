"""Settings fail at start, naming the variable; production refuses unsafe flags; SQLite is durable."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    unsafe = {"DATABASE_URL", "DEMO", "DEBUG", "UNFORGOTTEN_MODE", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unsafe}
    # tmp_path is absolute, so this is sqlite://// + path: an absolute SQLite path.
    base.update({"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                 "UNFORGOTTEN_VAR_DIR": str(tmp_path / "var")})
    base.update(env)
    return subprocess.run([sys.executable, "-m", "unforgotten.cli", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=120)


def _production(**extra: str) -> dict[str, str]:
    return {"UNFORGOTTEN_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "unforgotten.example.org", **extra}


@pytest.mark.slow
def test_it_passes_the_deploy_check_under_production_settings(tmp_path: Path) -> None:
    from unforgotten.core.crypto import generate_kek_file

    generate_kek_file(tmp_path / "kek.key")  # production refuses to start without its master key
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _production(KEY_FILE=str(tmp_path / "kek.key")),
                  tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_the_demo_flag_in_production(tmp_path: Path) -> None:
    result = _run(["check"], _production(DEMO="1"), tmp_path)
    assert result.returncode != 0
    assert "DEMO must not be set in production" in result.stderr


def test_it_refuses_production_without_a_secret_key(tmp_path: Path) -> None:
    env = _production()
    del env["SECRET_KEY"]
    result = _run(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in result.stderr


def test_it_names_a_malformed_variable_at_start(tmp_path: Path) -> None:
    result = _run(["check"], {"EMAIL_PORT": "twenty-five"}, tmp_path)
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr


def test_it_runs_sqlite_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "unforgotten.settings", "UNFORGOTTEN_VAR_DIR": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path}/wal.sqlite3"})
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["wal", "2"], out.stderr
