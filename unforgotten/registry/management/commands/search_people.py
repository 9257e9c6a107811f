"""``unforgotten search-people QUERY [QUERY…] --json [--limit N]``: the operator's name search."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unforgotten.registry import search


class Command(BaseCommand):
    help = (
        "Find people by name in any script or spelling, across every organisation (an operator's tool: it reads "
        "names as each organisation's staff would, never restricted or sealed ones). With --json, prints one line "
        'per query: {"query": ..., "hits": [{"person": <uuid>, "name": <the name that matched best>, '
        '"score": <0..1>, "external_ids": {<source>: <identifier>}}]}, best first. "person" is the person\'s '
        "UUID (the id in /work/registry/people/<uuid>/ and the API). Works on a fresh database: the name index "
        "is built on demand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("queries", nargs="+", metavar="QUERY", help="a name to look for (quote it)")
        parser.add_argument("--json", action="store_true", help="one JSON object per line (for scripts)")
        parser.add_argument("--limit", type=int, default=10, help="hits per query (default 10)")
        parser.add_argument("--organisation", default="", metavar="SLUG", help="only this organisation's people")
        parser.add_argument("--min-score", type=float, default=0.5,
                            help="leave out hits scoring below this (0..1, default 0.5)")

    def handle(self, *args: Any, **options: Any) -> None:
        from unforgotten.accounts.models import Organisation
        from unforgotten.registry.models import ExternalId, Person

        limit = int(options["limit"])
        if not 1 <= limit <= 1000:
            raise CommandError("--limit must be between 1 and 1000.")
        min_score = float(options["min_score"])
        if not 0.0 <= min_score <= 1.0:
            raise CommandError("--min-score must be between 0 and 1.")
        orgs: list[int] | None = None
        if options["organisation"]:
            orgs = list(Organisation.objects.filter(slug=options["organisation"]).values_list("pk", flat=True))
            if not orgs:
                raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        for query in options["queries"]:
            hits = search.find_people_as_operator(query, organisation_ids=orgs, limit=limit, min_score=min_score)
            ids = [h.person_id for h in hits]
            uuids = dict(Person.objects.filter(pk__in=ids).values_list("pk", "uuid"))
            external: dict[int, dict[str, str]] = {}
            # One identifier per source: the first in order when a list gave someone several.
            for person_id, source, value in (ExternalId.objects.filter(person_id__in=ids)
                                             .order_by("person_id", "source", "value")
                                             .values_list("person_id", "source", "value")):
                external.setdefault(person_id, {}).setdefault(source, value)
            out: list[dict[str, Any]] = [{"person": str(uuids[h.person_id]), "name": h.name, "score": h.score,
                    "external_ids": external.get(h.person_id, {})} for h in hits if h.person_id in uuids]
            if options["json"]:
                self.stdout.write(json.dumps({"query": query, "hits": out}, ensure_ascii=False))
            else:
                self.stdout.write(f"{query}:")
                for hit in out or [{"person": "", "name": "(no match)", "score": 0.0, "external_ids": {}}]:
                    ids_text = " ".join(f"{k}:{v}" for k, v in hit["external_ids"].items())
                    self.stdout.write(f"  {hit['score']:.2f}  {hit['name']}  {hit['person']}  {ids_text}".rstrip())
