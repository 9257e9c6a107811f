"""Typed readers of environment variables for the settings module.

Every setting the platform reads from the environment goes through one of
these helpers, so a malformed value fails at start with a message that names
the variable (never half-way through a request). Secrets may also come from a
file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when ``SECRET_KEY`` is unset,
which keeps secrets out of process listings and out of the repository.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    env = os.environ if environ is None else environ
    return env.get(name)


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {number}")
    return number


def env_list(name: str, default: list[str] | None = None, *, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, choices: tuple[str, ...], default: str, *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_rate_limits(
    prefix: str, defaults: Mapping[str, tuple[int, int]], *, environ: Mapping[str, str] | None = None
) -> dict[str, tuple[tuple[int, int], ...]]:
    """Burst and sustained limits per subject kind: ``{kind: ((60, per_minute), (3600, per_hour))}``.

    ``defaults`` maps a kind ("ip", "domain", "address") to (per minute, per hour);
    each number may be overridden by ``<PREFIX>_<KIND>_MINUTE`` / ``<PREFIX>_<KIND>_HOUR``.
    A minute allowing more than its hour is refused: it would mean the burst limit
    never applies, which is never what an operator meant.
    """
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    for kind, (minute, hour) in defaults.items():
        stem = f"{prefix}_{kind.upper()}"
        per_minute = env_int(f"{stem}_MINUTE", minute, minimum=1, environ=environ)
        per_hour = env_int(f"{stem}_HOUR", hour, minimum=1, environ=environ)
        if per_minute > per_hour:
            raise ImproperlyConfigured(
                f"{stem}_MINUTE ({per_minute}) must not be larger than {stem}_HOUR ({per_hour})")
        out[kind] = ((60, per_minute), (3600, per_hour))
    return out


def env_secret(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    """``NAME`` itself, else the contents of the file named by ``NAME_FILE``, else None."""
    value = _raw(name, environ)
    if value:
        return value
    path = _raw(f"{name}_FILE", environ)
    if not path:
        return None
    try:
        content = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE points to {path!r}, which cannot be read: {exc.strerror}") from None
    if not content:
        raise ImproperlyConfigured(f"{name}_FILE points to {path!r}, which is empty")
    return content


def env_database(name: str, default: str, *, base_dir: Path, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse ``sqlite:///relative/path``, ``sqlite:////absolute/path`` or ``postgres://…``.

    SQLite runs in WAL mode with ``synchronous=FULL``: a signature or a case edit
    the user was told is saved must survive a killed process or a power cut, and
    WAL lets readers carry on while one writer commits. ``IMMEDIATE`` transactions
    take the write lock up front, so two writers queue instead of deadlocking on
    a lock upgrade.
    """
    url = _raw(name, environ) or default
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///var/db.sqlite3 → relative; sqlite:////abs/db.sqlite3 → absolute.
        raw_path = unquote(url[len("sqlite://") :])
        if raw_path.startswith("//"):
            path = Path(raw_path[1:])
        elif raw_path.startswith("/"):
            path = base_dir / raw_path[1:]
        else:
            raise ImproperlyConfigured(f"{name} must look like sqlite:///path/to/file.sqlite3, got {url!r}")
        if not raw_path.strip("/"):
            raise ImproperlyConfigured(f"{name} names no SQLite file: {url!r}")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": None},
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        if not parts.path.strip("/"):
            raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://user@127.0.0.1:5432/unforgotten")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has an invalid port: {url!r}") from None
        options: dict[str, Any] = {}
        if "sslmode" in query:
            options["sslmode"] = query["sslmode"]
        return {
            # Django's, with a health check that costs no round trip while the server is silent (decision 0027).
            "ENGINE": "unforgotten.core.db.postgresql",
            "NAME": unquote(parts.path.strip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": int(query.get("conn_max_age", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"{name} must start with sqlite:/// or postgres://, got {url!r}")
