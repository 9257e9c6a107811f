"""Named personas for tests. Their access is stated beside each; tests rely on these sentences.

- Amal is a caseworker of Org A (Rights Watch): sees and edits Org A's cases.
- Bilal is a reviewer of Org A: decides recognition, reads Org A's audit trail.
- Dana is the admin of Org A: manages members and tokens, reads the audit trail.
- Vera is a viewer of Org A: reads Org A's records, changes nothing.
- Chris is a caseworker of Org B: must see nothing of Org A.
- Pat is a platform admin with no membership: administers the platform, sees no case data.
- Dmitri was a caseworker of Org A and has been deactivated: gets nothing.
- Ada is an advocate of Org A: reads Org A's records, records advocacy (interventions, dossiers), edits no case.
- Cora is a campaigner of Org A: reads Org A's records, runs campaigns and publishes, edits no case.
- Cleo is a coordinator of Org A: reads Org A's records, raises and answers urgent alerts (verify, act,
  resolve), may be on call, receives the radar's digest and the escalations; edits no case, publishes
  nothing, exports nothing, manages no one, and sees restricted data only on a case team.
- The anonymous visitor sees only public pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from unforgotten.accounts.models import Membership, Organisation, User

if TYPE_CHECKING:
    from django.test import Client

PASSWORD = "correct horse battery staple"  # noqa: S105  (tests only)
# Every persona has enrolled this TOTP secret: staff must have a second factor.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  (tests only)


@dataclass
class Cast:
    org_a: Organisation
    org_b: Organisation
    amal: User
    bilal: User
    dana: User
    vera: User
    chris: User
    pat: User
    dmitri: User
    ada: User
    cora: User
    cleo: User
    by_name: dict[str, User | None] = field(default_factory=dict)

    def persona(self, name: str) -> User | None:
        return self.by_name[name]


PERSONA_NAMES = ("anonymous", "amal", "bilal", "dana", "vera", "chris", "pat", "dmitri", "cleo")
# Personas of the role-specific apps (advocacy, campaigns). They are not in the
# authorization matrix's fixed set (whose rows name literal persona sets); the
# apps that need them test them in their own files.
ROLE_PERSONA_NAMES = ("ada", "cora")


def _user(email: str, name: str, **extra: Any) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, display_name=name, **extra)


def make_cast() -> Cast:
    """Create the cast directly (not through action functions): fixtures, not behaviour under test."""
    org_a = Organisation.objects.create(name="Rights Watch (Org A)", slug="org-a", country="GB")
    org_b = Organisation.objects.create(name="Lawyers Network (Org B)", slug="org-b", country="AM")
    amal = _user("amal@example.org", "Amal")
    bilal = _user("bilal@example.org", "Bilal")
    dana = _user("dana@example.org", "Dana")
    vera = _user("vera@example.org", "Vera")
    chris = _user("chris@example.org", "Chris")
    pat = _user("pat@example.org", "Pat", is_superuser=True, is_staff=True)
    dmitri = _user("dmitri@example.org", "Dmitri")
    ada = _user("ada@example.org", "Ada")
    cora = _user("cora@example.org", "Cora")
    cleo = _user("cleo@example.org", "Cleo")
    for user, org, roles in (
        (amal, org_a, ["caseworker"]),
        (bilal, org_a, ["reviewer"]),
        (dana, org_a, ["org_admin"]),
        (vera, org_a, ["viewer"]),
        (chris, org_b, ["caseworker"]),
        (dmitri, org_a, ["caseworker"]),
        (ada, org_a, ["advocate"]),
        (cora, org_a, ["campaigner"]),
        (cleo, org_a, ["coordinator"]),
    ):
        Membership.objects.create(user=user, organisation=org, roles=roles)
    from allauth.mfa.totp.internal.auth import TOTP

    for user in (amal, bilal, dana, vera, chris, pat, dmitri, ada, cora, cleo):
        TOTP.activate(user, TOTP_SECRET)
    dmitri.is_active = False
    dmitri.save(update_fields=["is_active"])
    cast = Cast(org_a, org_b, amal, bilal, dana, vera, chris, pat, dmitri, ada, cora, cleo)
    cast.by_name = {"anonymous": None, "amal": amal, "bilal": bilal, "dana": dana, "vera": vera,
                    "chris": chris, "pat": pat, "dmitri": dmitri, "ada": ada, "cora": cora, "cleo": cleo}
    return cast


def signed_in(user: User, *, sudo: bool = False, **client_options: Any) -> Client:
    """A test client with ``user`` signed in (``client_options`` go to Django's ``Client``).

    ``sudo``: the password given again, as dangerous acts ask within 15 minutes (``require_sudo``).
    """
    from django.test import Client

    client = Client(**client_options)
    client.force_login(user)
    if sudo and client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code != 302:
        raise AssertionError(f"{user} could not re-authenticate")
    return client


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    """The current six-digit code for ``secret``, as an authenticator app would show it."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int((time.time() if at is None else at) // 30)
    return str(format_hotp_value(hotp_value(secret, counter)))


# --- real local servers for delivery tests -------------------------------------------


class LocalSMTPServer:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for end-to-end mail tests.

    Used through the ``smtp_server`` fixture, which also points the default mailer at it.
    ``refuse`` makes it answer every message with a temporary failure (a mail server in trouble).
    """

    def __init__(self) -> None:
        import email
        import email.policy

        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
                if server.refuse:
                    return "451 4.3.0 try again later"
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                server.messages.append(message)
                server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                return "250 OK"

        self.messages: list[Any] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = False
        self._handler = Handler()
        self._controller_class = Controller
        self._controller: Any = None

    def start(self) -> LocalSMTPServer:
        import socket

        # aiosmtpd connects to its own port to confirm start-up, so it cannot be
        # given port 0: take a free port from the OS, retrying if another test grabs it first.
        for _attempt in range(5):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            self._controller = self._controller_class(self._handler, hostname="127.0.0.1", port=port)
            try:
                self._controller.start()
                return self
            except (OSError, RuntimeError):
                continue
        raise RuntimeError("could not start a local SMTP server")

    def stop(self) -> None:
        self._controller.stop()

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def bodies(self) -> list[str]:
        """The plain-text body of every message received, in order."""
        out = []
        for message in self.messages:
            part = message.get_body(preferencelist=("plain",))
            out.append(part.get_content() if part is not None else "")
        return out


class WebhookReceiver:
    """A real HTTP server on loopback recording the POSTs it receives; ``status`` sets its answer."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append((self.path, dict(self.headers.items()), body))
                self.send_response(receiver.status)
                if receiver.status in (301, 302, 307, 308):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:  # keep test output quiet; nothing is logged to disk
                return

        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 200
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- calling a WSGI application as gunicorn would (the fronts in wsgi.py) ----------------------------------


class WSGIAnswer:
    """What a WSGI application answered: status line, headers in order, the whole body."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def stable_headers(self, per_answer: frozenset[str] = frozenset({"x-request-id"})) -> list[tuple[str, str]]:
        """The headers without those made afresh for every answer."""
        return [(k, v) for k, v in self.headers if k.lower() not in per_answer]


def wsgi_call(app: Any, path: str, *, method: str = "GET", body: bytes = b"", content_type: str = "",
              host: str = "testserver", scheme: str = "http", remote: str = "127.0.0.1",
              extra: dict[str, str] | None = None) -> WSGIAnswer:
    """One request through ``app`` with the environ a WSGI server builds (PEP 3333), read to the end and closed."""
    import io
    import sys

    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "PATH_INFO": path.encode("utf-8").decode("iso-8859-1"), "SCRIPT_NAME": "",
        "QUERY_STRING": "", "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": remote, "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme, "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.multiprocess": True, "wsgi.multithread": True, "wsgi.run_once": False,
    }
    if method == "POST":
        environ.update(CONTENT_TYPE=content_type, CONTENT_LENGTH=str(len(body)))
    environ.update(extra or {})
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen.update(status=status, headers=headers)

    result = app(environ, start_response)
    try:
        out = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return WSGIAnswer(seen["status"], list(seen["headers"]), out)
