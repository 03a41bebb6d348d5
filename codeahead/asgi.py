from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeahead.settings")

application = get_asgi_application()

# A web request's statements stop after DB_STATEMENT_TIMEOUT_MS; commands are not limited.
from codeahead.database import limit_web_statements  # noqa: E402

limit_web_statements()
