"""``unforgotten rotate-keys``: re-wrap the data keys under the current KEK, without downtime.

KEK rotation, step by step (docs/decisions/0009-keyring.md):

1. ``unforgotten rotate-keys --generate-kek /etc/unforgotten/kek-2027.key``
2. restart with ``KEY_FILE`` = the new file and ``KEY_PREVIOUS_FILES`` = the old
   one (processes then read data keys wrapped under either);
3. ``unforgotten rotate-keys`` re-wraps every data key under the new KEK;
4. drop ``KEY_PREVIOUS_FILES`` and restart; keep the old key file offline
   until a backup made after step 3 exists.

``--data-keys`` also replaces the active data key of each purpose (old ones are
retired, still decrypting what they encrypted); ``--reencrypt`` then re-seals
stored sealed values under the new data key in batches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unforgotten.core import crypto, keyring
from unforgotten.core.actions import do_reencrypt_sealed_fields, do_rotate_keys

ACTOR = "rotate-keys (command line)"


class Command(BaseCommand):
    help = "Re-wrap every data key under the current key-encryption key; optionally replace data keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--generate-kek", metavar="PATH", help="Write a new KEK file (mode 0600) and stop.")
        parser.add_argument("--data-keys", action="store_true", help="Also replace the active data keys.")
        parser.add_argument("--purpose", action="append", choices=keyring.PURPOSES,
                            help="With --data-keys: only this purpose (repeatable; default all).")
        parser.add_argument("--reencrypt", action="store_true",
                            help="Re-seal stored sealed values under the active data key, in batches.")
        parser.add_argument("--batch", type=int, default=500, help="Rows per re-encryption batch (default 500).")
        parser.add_argument("--status", action="store_true", help="List the data keys and change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_kek"]:
            path = Path(options["generate_kek"])
            if not path.parent.is_dir():
                raise CommandError(f"{path.parent} is not a directory")
            try:
                kek = crypto.generate_kek_file(path)
            except crypto.KeyLoadError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"New KEK {kek.key_id} written to {path}. Next: set KEY_FILE={path} and "
                              f"KEY_PREVIOUS_FILES=<the old key file>, restart, then run `unforgotten rotate-keys`.")
            return
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        try:
            current = keyring.check_kek()
        except keyring.KeyringUnavailable as exc:
            raise CommandError(str(exc)) from None
        if options["status"]:
            self._status(current)
            return
        purposes = tuple(options["purpose"] or keyring.PURPOSES) if options["data_keys"] else ()
        if options["purpose"] and not options["data_keys"]:
            raise CommandError("--purpose only makes sense with --data-keys")
        try:
            result = do_rotate_keys(data_keys=purposes, acting_user=ACTOR)
        except crypto.DecryptionError as exc:
            raise CommandError(f"{exc}. Add the KEK it names to KEY_PREVIOUS_FILES and run again; "
                               "nothing was changed.") from None
        self.stdout.write(f"KEK {current}: {result['rewrapped']} data key(s) re-wrapped, "
                          f"{len(result['adopted'])} legacy key(s) adopted.")
        for purpose, key_id in result["new_data_keys"].items():
            self.stdout.write(f"New data key for {purpose}: {key_id}")
        if options["reencrypt"]:
            report = do_reencrypt_sealed_fields(batch_size=options["batch"], acting_user=ACTOR,
                                                progress=self.stdout.write if options["verbosity"] > 1 else None)
            self.stdout.write(f"Sealed and restricted values: {report.changed} re-encrypted, "
                              f"{report.current} already current.")
            if report.skipped:
                for item in report.skipped[:20]:
                    self.stderr.write(f"could not open {item}; left unchanged")
                raise CommandError(f"{len(report.skipped)} sealed value(s) could not be re-encrypted")
        self.stdout.write(self.style.SUCCESS("Every data key is wrapped under the current KEK; "
                                             "previous KEKs are no longer needed."))

    def _status(self, current: str) -> None:
        self.stdout.write(f"current KEK {current}; loaded: {', '.join(keyring.kek_ids())}")
        for row in keyring.key_status():
            state = "active " if row["active"] else "retired"
            note = "  NEEDS REWRAP" if row["needs_rewrap"] else ""
            self.stdout.write(f"{row['purpose']:<15} {row['key_id']} {state} KEK {row['kek_id']} {row['origin']}{note}")
