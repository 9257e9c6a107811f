"""The one settings module. Every value an operator may change comes from the environment.

Modes (``UNFORGOTTEN_MODE``):
- ``development`` (default): SQLite under ``var/``, plain HTTP on 127.0.0.1, a
  per-checkout secret generated into ``var/``. What ``make demo`` and the tests use.
- ``production``: refuses to start without ``SECRET_KEY`` (or ``SECRET_KEY_FILE``)
  and ``ALLOWED_HOSTS``; HTTPS only, ``__Host-`` cookies, HSTS; refuses ``DEMO``.

Why development is the default: ``.venv/bin/unforgotten migrate`` must work in a
fresh checkout with no configuration, and a production deployment is a
deliberate act documented in the README (it sets the mode with its secrets).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from unforgotten.core.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_rate_limits,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("UNFORGOTTEN_VAR_DIR", str(BASE_DIR / "var")))

# ---------------------------------------------------------------------------
# Operator-facing settings (environment variable → meaning)
# ---------------------------------------------------------------------------
# UNFORGOTTEN_MODE     str  development | production
# DATABASE_URL         str  sqlite:///var/unforgotten.sqlite3 (default) or postgres://user:pw@host:5432/db
# SECRET_KEY(_FILE)    str  required in production; signs sessions and tokens
# ALLOWED_HOSTS        list comma-separated host names (production)
# SITE_URL             str  the public base URL, used in e-mails and feeds
# DEMO                 bool lets demo personas in without a second factor; refused in production
# EMAIL_URL parts      EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD(_FILE), EMAIL_USE_TLS
# DEFAULT_FROM_EMAIL   str
# TRUSTED_PROXIES      list IPs whose X-Forwarded-For is believed (nobody else's is)
# REAUTH_SECONDS       int  how long "sudo mode" lasts after re-authentication (900)
# STAFF_IDLE_SECONDS   int  staff sessions end after this much inactivity (1800)
# STAFF_MAX_SECONDS    int  staff sessions end this long after login, whatever happens (28800)
# LOGIN_FAILURES_PER_MINUTE int failed logins allowed per account per minute (5)
# KEY_FILE             path key-encryption key file (outside the database and media)
# UNFORGOTTEN_KEK      str  or: the KEK itself, base64 (instead of KEY_FILE)
# KEK_PASSPHRASE(_FILE) str or: a passphrase for the KEK (scrypt), with KEK_SALT (base64)
# KEY_PREVIOUS_FILES   list older KEK files still accepted while `rotate-keys` re-wraps
# SIGNING_KEY_FILE     path Ed25519 PEM key signing the audit log's tree heads
# TASKS_BACKEND        str  database (default; run `unforgotten db_worker`) | immediate
MODE = env_choice("UNFORGOTTEN_MODE", ("development", "production"), "development")
PRODUCTION = MODE == "production"
DEMO = env_bool("DEMO", False)
if PRODUCTION and DEMO:
    raise ImproperlyConfigured("DEMO must not be set in production: it lets personas in without a second factor")

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be set in production: error pages would show case data")

_secret = env_secret("SECRET_KEY")
if _secret is None:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    # Development: one random key per checkout, kept out of the repository under var/.
    _key_file = VAR_DIR / "secret_key"
    if _key_file.exists():
        _secret = _key_file.read_text(encoding="utf-8").strip()
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _secret = secrets.token_urlsafe(50)
        _key_file.write_text(_secret, encoding="utf-8")
        _key_file.chmod(0o600)
elif len(_secret) < 50 and PRODUCTION:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long")
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the platform answers to in production")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# ---------------------------------------------------------------------------
# Applications: the ground floor first (accounts, audit, policy helpers), then
# domain apps, then the API on top. Imports run one way, downwards.
# ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "unforgotten.core",
    "unforgotten.accounts",
    "unforgotten.audit",
    "unforgotten.registry",
    # exchange: imports and exports of lists (issue 4, items 4 and 5)
    "unforgotten.exchange",
    # publishing: the public campaign site (issue 6, helper "publishing")
    "unforgotten.publishing",
    # evidence: encrypted evidence files and their chain of custody (issue 5, helper "evidence")
    "unforgotten.evidence",
    # stats: as-of statistics, charts, open data and monthly reports (issue 9, item 4)
    "unforgotten.stats",
    # advocacy (issue 8): stakeholders, interventions, adoption, legal support, dossiers, UN submissions
    "unforgotten.advocacy",
    "unforgotten.intake",  # intake (issue 6): "suggest a prisoner" and the caseworkers' intake queue
    "unforgotten.newsletter",  # intake (issue 6): newsletter sign-up with double opt-in
    "unforgotten.radar",  # radar (issue 9): the forgotten-case radar
    "unforgotten.alerts",  # alerts (issue 9 items 1, 5, 6): urgent alerts, escalation, on-call, public urgent actions
    "unforgotten.monitoring",  # alerts (issue 9 item 2): contacts as proof of life, health, conditions, rules
    "unforgotten.actions",  # actions (issue 7): supporters, petitions, anti-abuse
    "unforgotten.letters",  # letters (issue 7 items 4, 5): letters to prisoners and to officials
    "unforgotten.events",  # events (issue 7 item 6): vigils, action days, trial monitoring, RSVP, iCalendar
    "unforgotten.api",
]

MIDDLEWARE = [
    "unforgotten.core.middleware.RequestIdMiddleware",
    # publishing (issue 6, decision 0022): public pages are stored here with every header the middleware below
    # adds, and answered before sessions and the database (unforgotten.wsgi answers hits even before Django)
    "unforgotten.publishing.middleware.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # actions (issue 7, decision 0025): ordinary petition signatures are taken here, before sessions and CSRF
    "unforgotten.actions.fastpath.SigningFastPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading session, user, memberships and second factor in one statement (accounts.principal)
    "unforgotten.accounts.principal.AuthenticationMiddleware",
    "unforgotten.accounts.middleware.StaffSessionMiddleware",
    "unforgotten.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "unforgotten.core.middleware.PrivateCacheMiddleware",
    # a NUL in the address is a 400 for every page, not a 500 on PostgreSQL only
    "unforgotten.core.middleware.UnstorableTextMiddleware",
]

ROOT_URLCONF = "unforgotten.urls"
WSGI_APPLICATION = "unforgotten.wsgi.application"
ASGI_APPLICATION = "unforgotten.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "unforgotten" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unforgotten.accounts.context_processors.workspace",
                # csrf_token: Django's token, its mask drawn in one os.urandom call instead of 32 (core/csrf.py)
                "unforgotten.core.csrf.context",
            ],
        },
    }
]

# ---------------------------------------------------------------------------
# Database. SQLite is the embedded default for one small NGO on one machine:
# no server to run, one file to back up. PostgreSQL is production.
# ---------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", "sqlite:///var/unforgotten.sqlite3", base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache works across gunicorn workers and needs no extra service;
# login throttles and re-authentication stamps live in it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "unforgotten_cache",
    }
}

# ---------------------------------------------------------------------------
# Accounts and authentication
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "unforgotten.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts are created by organisation admins, not by sign-up
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("REAUTH_SECONDS", 900, minimum=60, maximum=3600)
LOGIN_FAILURES_PER_MINUTE = env_int("LOGIN_FAILURES_PER_MINUTE", 5, minimum=1, maximum=100)
# Throttle per account ("key"), never globally or per IP alone: one attacker must
# not be able to lock every caseworker out, and a shared office IP must not
# lock a whole NGO out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURES_PER_MINUTE}/m/key",
    "login": "60/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "reauthenticate": "10/m/user",
}
MFA_ADAPTER = "unforgotten.accounts.mfa_adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Unforgotten"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_RECOVERY_CODE_COUNT = 10

STAFF_IDLE_SECONDS = env_int("STAFF_IDLE_SECONDS", 1800, minimum=60, maximum=1800)
STAFF_MAX_SECONDS = env_int("STAFF_MAX_SECONDS", 28800, minimum=300, maximum=28800)
# Database sessions whose load also reads the principal (accounts/principal.py).
SESSION_ENGINE = "unforgotten.accounts.principal"
SESSION_COOKIE_AGE = STAFF_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False  # StaffSessionMiddleware renews it at most once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Flash messages live in the session, not in a readable cookie: they can hold
# an e-mail address, and cookies outlive a shared computer's session.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# ---------------------------------------------------------------------------
# Security headers (T12). No third-party source anywhere: readers may be in a
# country that watches which hosts they contact.
# ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    # __Host- cookies are bound to this exact host, HTTPS and path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# ---------------------------------------------------------------------------
# Languages. The interface ships in these; content is translated per row.
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("ru", "Русский"),
    ("es", "Español"),
    ("fr", "Français"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "unforgotten" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files: served by whitenoise from the app itself, never from a CDN.
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# ---------------------------------------------------------------------------
# E-mail: real SMTP always (a local test server in tests).
# ---------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "127.0.0.1"),
            "port": env_int("EMAIL_PORT", 25 if PRODUCTION else 1025, minimum=1, maximum=65535),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_secret("EMAIL_HOST_PASSWORD") or "",
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 20, minimum=1, maximum=300),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Unforgotten <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------
# Background tasks: Django's tasks framework only (never a queue library's own
# API), so the backend is a settings change.
# ---------------------------------------------------------------------------
_tasks_backend = env_choice("TASKS_BACKEND", ("database", "immediate"), "database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if _tasks_backend == "database"
        else "django.tasks.backends.immediate.ImmediateBackend",
    }
}

# ---------------------------------------------------------------------------
# Logging: to stderr, no request bodies, no client addresses (T3). The request
# id ties a log line to an audit event without saying who the visitor was.
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "unforgotten.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # django.server logs every request line with the client address.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        # Pillow's debug lines quote EXIF values (GPS positions, owners' names) of the pictures it reads.
        "PIL": {"level": "INFO"},
    },
}

# --- keyring and signed log (integrity; see docs/decisions/0009-keyring.md, 0010-merkle-log.md) ---
# The key-encryption key (KEK) wraps the data keys that encrypt sealed values,
# second-factor secrets, evidence files and backups. It lives outside the
# database and the media folder, from exactly one source: UNFORGOTTEN_KEK
# (base64 in the environment), KEK_PASSPHRASE(_FILE) with KEK_SALT (scrypt), or
# KEY_FILE (default var/keys/kek.key; development generates it). Production
# refuses to start without a loadable KEK and never falls back to plaintext.
# KEY_PREVIOUS_FILES lists older KEK files kept during a rotation.
KEY_FILE = Path(env_str("KEY_FILE", str(VAR_DIR / "keys" / "kek.key")))
KEK_SOURCE = "file"
KEK_ENV_VAR = "UNFORGOTTEN_KEK"
KEK_PASSPHRASE = env_secret("KEK_PASSPHRASE")
KEK_SALT = env_str("KEK_SALT")
_kek_sources = [name for name, given in (("UNFORGOTTEN_KEK", bool(env_str("UNFORGOTTEN_KEK"))),
                                         ("KEK_PASSPHRASE", KEK_PASSPHRASE is not None),
                                         ("KEY_FILE", bool(env_str("KEY_FILE")))) if given]
if len(_kek_sources) > 1:
    raise ImproperlyConfigured(f"give the key-encryption key from one source only, not {' and '.join(_kek_sources)}")
if _kek_sources == ["UNFORGOTTEN_KEK"]:
    KEK_SOURCE = "env"
elif _kek_sources == ["KEK_PASSPHRASE"]:
    KEK_SOURCE = "passphrase"
    if not KEK_SALT:
        raise ImproperlyConfigured("KEK_PASSPHRASE needs KEK_SALT (base64 of at least 16 random bytes, kept beside the settings)")
KEY_PREVIOUS_FILES = [Path(p) for p in env_list("KEY_PREVIOUS_FILES")]
# Ed25519 key that signs the audit log's tree heads: a PEM file outside the
# database (development generates one under var/keys/; production requires it
# when it signs). The public key, for partners, is SIGNING_KEY_FILE + ".pub".
SIGNING_KEY_FILE = Path(env_str("SIGNING_KEY_FILE", str(VAR_DIR / "keys" / "log-signing.pem")))
SIGNING_PUBLIC_KEYS_FILE = Path(env_str("SIGNING_PUBLIC_KEYS_FILE", str(SIGNING_KEY_FILE) + ".retired"))  # evidence, issue 5: retired log keys (public), see `rotate-signing-key`
# --- end keyring and signed log ---

# Keyed hashes of sealed values in audit records use a key derived from this
# secret, so an audit row proves "the value changed" without revealing it.
AUDIT_HASH_SECRET = env_secret("AUDIT_HASH_SECRET") or SECRET_KEY

# The API: per-organisation tokens; their prefix makes a leaked token easy to grep for.
API_TOKEN_PREFIX = "uft_"  # noqa: S105  (a public prefix, not a secret)

NINJA_PAGINATION_PER_PAGE = 25

# --- names index (issue 4, helper "names") -----------------------------------
# NAMES_INDEX_PATH     path folder of the persisted person-name index (var/names-index); each process
#                           loads the newest snapshot there and catches up from the change table.
#                           `unforgotten names-reindex` rebuilds it from the database.
NAMES_INDEX_PATH = Path(env_str("NAMES_INDEX_PATH", str(VAR_DIR / "names-index")))
# A process that had to build its index from the database saves a snapshot when
# it covers at least this many people (small test and demo databases build in
# a moment and leave nothing behind).
NAMES_INDEX_AUTOSAVE_PEOPLE = env_int("NAMES_INDEX_AUTOSAVE_PEOPLE", 10_000, minimum=1)
# --- end names index ---------------------------------------------------------

# --- publishing (issue 6, helper "publishing") ------------------------------
# PUBLIC_CACHE_DIR      path folder of stored public pages (var/public-cache), shared by every worker on
#                            the machine; every publish, unpublish or change to a published person empties it
# PUBLIC_CACHE_SECONDS  int  how long a stored page is served at most (300); pages also expire at midnight UTC
# PUBLIC_CACHE_ENABLED  bool store and serve public pages from that folder (true)
PUBLIC_CACHE_DIR = Path(env_str("PUBLIC_CACHE_DIR", str(VAR_DIR / "public-cache")))
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300, minimum=1, maximum=86_400)
PUBLIC_CACHE_ENABLED = env_bool("PUBLIC_CACHE_ENABLED", True)
# PUBLIC_VIDEO_MAX_BYTES    int  largest video story accepted (300 MB)  # publishing (issue 6)
# PUBLIC_DOWNLOAD_MAX_BYTES int  largest resource download or infographic accepted (30 MB)  # publishing (issue 6)
PUBLIC_VIDEO_MAX_BYTES = env_int("PUBLIC_VIDEO_MAX_BYTES", 300 * 1024 * 1024, minimum=1)  # publishing (issue 6)
PUBLIC_DOWNLOAD_MAX_BYTES = env_int("PUBLIC_DOWNLOAD_MAX_BYTES", 30 * 1024 * 1024, minimum=1)  # publishing (issue 6)
# --- end publishing ----------------------------------------------------------

# --- evidence (issue 5, helper "evidence") -------------------------------------
# EVIDENCE_ROOT       path  where evidence files are stored, encrypted (var/evidence): outside MEDIA_ROOT,
#                           never served by a web server; holds ciphertext only (tmp/ and objects/).
# EVIDENCE_MAX_BYTES  int   the largest evidence file accepted, in bytes (default 2 GiB).
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 2 * 1024 * 1024 * 1024, minimum=1)
# --- end evidence --------------------------------------------------------------

# --- intake and newsletter (issue 6, helper "intake") ---------------------------------------------
# PUBLIC_SITE_ORGANISATION  str  slug of the organisation that runs the public site: it receives the
#                                suggestions of the "suggest a prisoner" form and owns the newsletter list.
#                                Empty: the only active organisation if there is exactly one, else the forms
#                                say they are closed (decision 0021).
# INTAKE_MIN_FILL_SECONDS   int  a form sent back sooner than this after it was served is quarantined (3)
# INTAKE_FORM_MAX_AGE       int  seconds a served form stays valid (7200); older ones are quarantined
# INTAKE_HOURLY_LIMIT       int  submissions per hour from one address before they are quarantined (5)
# NEWSLETTER_TOKEN_DAYS     int  days a confirmation link stays valid (7)
# The demo (DEMO=1) has several organisations; its public site is Rights Watch's.
PUBLIC_SITE_ORGANISATION = env_str("PUBLIC_SITE_ORGANISATION", "rights-watch" if DEMO else "")
INTAKE_MIN_FILL_SECONDS = env_int("INTAKE_MIN_FILL_SECONDS", 3, minimum=0, maximum=3600)
INTAKE_FORM_MAX_AGE = env_int("INTAKE_FORM_MAX_AGE", 7200, minimum=60, maximum=86_400)
INTAKE_HOURLY_LIMIT = env_int("INTAKE_HOURLY_LIMIT", 5, minimum=1, maximum=10_000)
NEWSLETTER_TOKEN_DAYS = env_int("NEWSLETTER_TOKEN_DAYS", 7, minimum=1, maximum=90)
# --- end intake -----------------------------------------------------------------------------------
# --- actions (issue 7, helper "actions"): petitions, supporters, anti-abuse ----------
# PETITION_ANONYMISE_MONTHS int  signers are anonymised this many months after a petition closes (6)
# PETITION_PENDING_DAYS     int  unconfirmed signatures are deleted after this many days (30)
# PETITION_POW_MAX          int  the proof-of-work search space; a browser needs ~1/2 of it in SHA-256 rounds (50000)
# PETITION_RATE_*           int  per network address / e-mail domain / address: signatures per minute and per hour
#                                before further ones are quarantined (not refused: bots learn nothing)
#                                (PETITION_RATE_IP_MINUTE, …_IP_HOUR, …_DOMAIN_MINUTE, …_DOMAIN_HOUR,
#                                …_ADDRESS_MINUTE, …_ADDRESS_HOUR)
# LETTER_RATE_*             int  the same for letters to prisoners and to officials, counted apart from signing
#                                (LETTER_RATE_IP_MINUTE, …): a letter writer is not throttled when signing, and a
#                                flood of letters does not spend signing's budget (decision 0029)
# DATA_REQUEST_RATE_*       int  the same for "e-mail me a link to my data" requests (each one sends a mail)
# PETITION_GROUP_COMMIT     bool concurrent signatures of one worker process share one statement and one commit
#                                (on; decision 0025, third stage); off: one statement and commit per signature
PETITION_GROUP_COMMIT = env_bool("PETITION_GROUP_COMMIT", True)  # actions (issue 7)
PETITION_ANONYMISE_MONTHS = env_int("PETITION_ANONYMISE_MONTHS", 6, minimum=0, maximum=120)  # actions (issue 7)
PETITION_PENDING_DAYS = env_int("PETITION_PENDING_DAYS", 30, minimum=1, maximum=365)  # actions (issue 7)
PETITION_POW_MAX = env_int("PETITION_POW_MAX", 50_000, minimum=10, maximum=10_000_000)  # actions (issue 7)
# kind -> ((window seconds, hits allowed), ...); (per minute, per hour) defaults below.
PETITION_RATE_LIMITS = env_rate_limits("PETITION_RATE", {"ip": (10, 60), "domain": (300, 5000), "address": (3, 10)})
# A person writes few letters; a campaign's surge is one letter per supporter and campaign.
LETTER_RATE_LIMITS = env_rate_limits("LETTER_RATE", {"ip": (5, 30), "domain": (100, 2000), "address": (3, 10)})
DATA_REQUEST_RATE_LIMITS = env_rate_limits("DATA_REQUEST_RATE", {"ip": (5, 20), "domain": (60, 600),
                                                                 "address": (2, 5)})
# LETTER_ANONYMISE_MONTHS   int  letters lose their writers' names, addresses (and, to officials, texts) this many
#                                months after their campaign closed or the letter to a prisoner was settled (6)
LETTER_ANONYMISE_MONTHS = env_int("LETTER_ANONYMISE_MONTHS", 6, minimum=0, maximum=120)  # letters (issue 7)
# --- end actions ---------------------------------------------------------------------
# --- events (issue 7 item 6, helper "events") ----------------------------------------------------------
# EVENT_ANONYMISE_MONTHS    int  RSVP addresses are erased this many months after the event (occurrence) ends (3)
# EVENT_CONFIRM_DAYS        int  days an RSVP confirmation link stays valid (7)
EVENT_ANONYMISE_MONTHS = env_int("EVENT_ANONYMISE_MONTHS", 3, minimum=0, maximum=120)  # events (issue 7)
EVENT_CONFIRM_DAYS = env_int("EVENT_CONFIRM_DAYS", 7, minimum=1, maximum=90)  # events (issue 7)
# --- end events ---------------------------------------------------------------------------------------
