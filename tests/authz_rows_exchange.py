"""Authorization rows of imports and exports (/work/exchange/), stated by hand per persona.

From the sentences in unforgotten/testing.py: importing needs the registry's
edit capability, so Amal, Bilal and Dana import for Org A, and Chris for Org B
(the import page is his too, with his own organisation); Vera only reads and
Pat sees no case data. An import run of Org A is "not found" for everyone
outside Org A's editors. Confirming or discarding sends the editor back to a
page (302). Exporting needs the export capability: caseworkers, reviewers and
admins (Amal, Bilal, Dana, and Chris for his own list), never the viewer Vera.

An empty POST to the import form is bad input: 400 for those who may use it.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import Row, page, safe

EDITORS = frozenset({"amal", "bilal", "dana", "chris"})
EDIT_A = frozenset({"amal", "bilal", "dana"})
EXPORTERS = frozenset({"amal", "bilal", "dana", "chris"})

NOWHERE = "00000000-0000-4000-8000-000000000000"
RUN = {"run": "{import_run_a}"}
GHOST = {"run": NOWHERE}

ROWS: dict[str, Row] = {
    "exchange:import_list": Row({"GET": page(EDITORS), "HEAD": page(EDITORS), "POST": page(EDITORS, 400)}),
    "exchange:import_detail": Row(safe(page(EDIT_A)), kwargs=RUN, probe=GHOST),
    "exchange:import_confirm": Row({"POST": page(EDIT_A, 302)}, kwargs=RUN, probe=GHOST),
    "exchange:import_discard": Row({"POST": page(EDIT_A, 302)}, kwargs=RUN, probe=GHOST),
    "exchange:import_errors": Row(safe(page(EDIT_A)), kwargs=RUN, probe=GHOST),
    "exchange:export_people": Row(safe(page(EXPORTERS)), kwargs={"fmt": "csv"}),
}


def placeholders(cast: Any) -> dict[str, str]:
    import tempfile
    from pathlib import Path

    from unforgotten.exchange.actions import do_prepare_import

    folder = Path(tempfile.mkdtemp(prefix="authz-import-"))
    path = folder / "list.csv"
    path.write_text("id,name\n1,Matrix Person\n,No Id\n", encoding="utf-8")
    run = do_prepare_import(organisation=cast.org_a, source_name="matrix", file_name="list.csv", file_format="csv",
                            stored_path=str(path), file_sha256="0" * 64,
                            mapping_text='[fields]\nnames = "name"\nexternal_id = "id"\n[defaults]\ncountry = "AM"\n',
                            acting_user=cast.dana)
    return {"import_run_a": str(run.uuid)}
