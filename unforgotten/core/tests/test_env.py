from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from unforgotten.core.env import env_bool, env_choice, env_database, env_int, env_list, env_secret


def test_it_names_the_variable_when_a_number_is_malformed() -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number, got 'twenty'"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "twenty"})


def test_it_enforces_bounds_and_names_them() -> None:
    with pytest.raises(ImproperlyConfigured, match="STAFF_IDLE_SECONDS must be at most 1800, got 99999"):
        env_int("STAFF_IDLE_SECONDS", 1800, maximum=1800, environ={"STAFF_IDLE_SECONDS": "99999"})


def test_it_reads_booleans_strictly() -> None:
    assert env_bool("DEMO", environ={"DEMO": "yes"}) is True
    assert env_bool("DEMO", environ={"DEMO": "0"}) is False
    assert env_bool("DEMO", True, environ={}) is True
    with pytest.raises(ImproperlyConfigured, match="DEMO must be a boolean"):
        env_bool("DEMO", environ={"DEMO": "maybe"})


def test_it_refuses_an_unknown_choice() -> None:
    with pytest.raises(ImproperlyConfigured, match="UNFORGOTTEN_MODE must be one of development, production"):
        env_choice("UNFORGOTTEN_MODE", ("development", "production"), "development", environ={"UNFORGOTTEN_MODE": "prod"})


def test_it_splits_lists_and_drops_blanks() -> None:
    assert env_list("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a.org, ,b.org"}) == ["a.org", "b.org"]


def test_it_reads_a_secret_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_secret("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cret"
    assert env_secret("SECRET_KEY", environ={}) is None
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE points to .* cannot be read"):
        env_secret("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_it_parses_sqlite_urls_with_wal_and_full_sync(tmp_path: Path) -> None:
    rel = env_database("DATABASE_URL", "", base_dir=tmp_path, environ={"DATABASE_URL": "sqlite:///var/db.sqlite3"})
    assert rel["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert "journal_mode=WAL" in rel["OPTIONS"]["init_command"]
    assert "synchronous=FULL" in rel["OPTIONS"]["init_command"]
    absolute = env_database("DATABASE_URL", "", base_dir=tmp_path, environ={"DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert absolute["NAME"] == "/tmp/x.sqlite3"


def test_it_parses_postgres_urls() -> None:
    db = env_database("DATABASE_URL", "", base_dir=Path("."),
                      environ={"DATABASE_URL": "postgres://app:p%40ss@db.example:6432/unforgotten?sslmode=require"})
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "unforgotten.core.db.postgresql", "unforgotten", "app", "p@ss", "db.example", "6432")
    assert db["OPTIONS"]["sslmode"] == "require"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host", "sqlite://relative.db", "nonsense"])
def test_it_refuses_database_urls_it_cannot_use(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "", base_dir=Path("."), environ={"DATABASE_URL": url})
