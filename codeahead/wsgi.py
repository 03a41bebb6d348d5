from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeahead.settings")

django_application = get_wsgi_application()

# A web request's statements stop after DB_STATEMENT_TIMEOUT_MS; commands are not limited.
# A GET whose connection broke under it (a database restart) runs once more.
from codeahead.database import limit_web_statements, retry_when_connection_lost  # noqa: E402

limit_web_statements()
application = retry_when_connection_lost(django_application)
