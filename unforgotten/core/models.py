"""Core tables: the wrapped data keys of the platform keyring (``core/keyring.py``).

Core also exists as an app so post_migrate reaches CoreConfig (see apps.py).
"""

from __future__ import annotations

from django.db import models


class DataKey(models.Model):
    """One data-encryption key (DEK), stored only wrapped under the KEK.

    The KEK itself is never in the database: a copy of this table alone opens
    nothing. Each ciphertext carries its DEK's ``key_id``, so a retired key is
    kept (it still decrypts older values) and only the active key of a purpose
    encrypts. Rotating the KEK rewrites ``wrapped`` and ``kek_id``; the DEK and
    its id never change, so data encrypted under it stays readable.
    """

    PURPOSES = ("sealed-fields", "mfa", "evidence-files", "backups")

    class Origin(models.TextChoices):
        RANDOM = "random", "random"
        # Adopted from the single-key helpers used before the keyring (see
        # docs/decisions/0009-keyring.md): kept so their old values stay readable.
        LEGACY = "legacy", "legacy"

    purpose = models.CharField(max_length=40, choices=[(p, p) for p in PURPOSES])
    key_id = models.CharField(max_length=16, unique=True)
    wrapped = models.BinaryField()
    kek_id = models.CharField(max_length=16, db_index=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.RANDOM)
    created = models.DateTimeField()
    retired = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["purpose", "created", "id"]
        constraints = [
            # One active key per purpose: two writers creating the first key at
            # once end with one key, not two (the loser re-reads; see keyring.py).
            models.UniqueConstraint(fields=["purpose"], condition=models.Q(retired__isnull=True),
                                    name="core_datakey_one_active_per_purpose"),
        ]

    def __str__(self) -> str:
        state = "retired" if self.retired else "active"
        return f"{self.purpose} {self.key_id} ({state}, KEK {self.kek_id})"
