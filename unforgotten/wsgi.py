from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unforgotten.settings")
_django = get_wsgi_application()

# publishing (issue 6, decision 0022): stored public pages are answered in front of Django; everything else,
# and every miss, goes to Django's handler.
# actions (issue 7, decision 0025): ordinary petition signatures and challenges too, with the headers Django's
# middleware gave the same route.
from unforgotten.actions.fastpath import SigningFront  # noqa: E402  (needs the settings configured above)
from unforgotten.publishing.fastpath import PublicPageStoreApp  # noqa: E402

application = PublicPageStoreApp(SigningFront(_django))
