"""`manage.py generate_plain_texts [--system S]`: write the generated plain-language texts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lookup.models import CodeSystem
from lookup.plain_language import GENERATED_SYSTEMS
from lookup.plain_language.bulk import write_plain_texts


class Command(BaseCommand):
    help = (
        "Generate a plain-language text for every ICD-10-CM, ICD-10-PCS and HCPCS code that has none, "
        "and regenerate generated texts nobody has reviewed. Texts our coding team wrote or reviewed, "
        "and licensed codes (CPT, CDT), are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--system", choices=GENERATED_SYSTEMS, help="only this code system (default: all three)"
        )

    def handle(self, *args, **options) -> None:
        slugs = [options["system"]] if options["system"] else list(GENERATED_SYSTEMS)
        systems = {system.slug: system for system in CodeSystem.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in systems]
        if missing:
            raise CommandError(f"no code system {', '.join(missing)} in this database (migrate first)")
        for slug in slugs:
            self.stdout.write(str(write_plain_texts(systems[slug])))
