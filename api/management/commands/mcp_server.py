from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve CodeAhead's lookup tools over the Model Context Protocol on stdin/stdout."

    def handle(self, *args, **options) -> None:
        from api.mcp_server import run

        run()
