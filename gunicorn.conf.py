"""gunicorn's settings for Unforgotten, read from this folder by ``gunicorn unforgotten.wsgi`` (production, the
README) and by the public-site benchmark alike, so what is measured is what runs (decision 0022).

Environment (typed like the platform's settings, unforgotten/core/env.py):
  WEB_CONCURRENCY    int  worker processes (2): one per core is the rule for a small machine
  GUNICORN_THREADS   int  threads per worker (4)
  GUNICORN_KEEPALIVE int  seconds an idle keep-alive connection is kept open (5)

Why threaded workers (``gthread``) rather than gunicorn's default ``sync``: a viral spike is many readers at
once, most of them on keep-alive connections. A sync worker serves one connection at a time and closes it
after each answer, so 64 readers queue behind 2 workers and pay a new TCP handshake per page; a gthread
worker keeps idle connections in its poller and serves the ready ones from its threads. Stored public pages
are answered in front of Django (publishing.fastpath), so a thread is busy for a file read, not a render.
"""

from __future__ import annotations

from unforgotten.core.env import env_int

bind = "127.0.0.1:8000"  # behind a TLS proxy; the command line may say otherwise (-b)
workers = env_int("WEB_CONCURRENCY", 2, minimum=1, maximum=64)
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4, minimum=1, maximum=64)
keepalive = env_int("GUNICORN_KEEPALIVE", 5, minimum=0, maximum=300)
accesslog = None  # an access log would keep every reader's address (T3)
