"""Who keeps what about one supporter's e-mail address: the registry behind "export my data" and "erase my data".

The e-mailed data link (``actions``, decision 0018) stands for one address. Several
apps keep rows written with it: signatures and consents (actions), letters to
prisoners and to officials (letters), RSVPs (events), a newsletter subscription
(newsletter). None of them keeps the address where it can be searched; each finds
its rows through a keyed digest of the address. Most use the supporters' digest
(``actions.supporters.email_key``); an app with a digest of its own (the
newsletter's) registers a ``key`` function, and the data link carries that digest
too, computed when the link was asked for (the only moment the address is known).

Each app registers a *holder* in its ``AppConfig.ready``; the link's export and
erasure ask every holder. So the front door (actions) imports none of them, imports
run one way (this module is the ground floor), and an app that starts keeping
addresses adds itself here instead of changing the front door (decision 0029).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Keys:
    """The digests one address is found by: the shared supporters' digest and each holder's own."""

    email_key: str
    own: Mapping[str, str] = field(default_factory=dict)

    def for_holder(self, name: str) -> str | None:
        return self.own.get(name)


@dataclass(frozen=True)
class Holder:
    """One kind of row kept about an address.

    ``export`` returns JSON-ready records for the person themself; ``erase`` removes
    or anonymises them inside the caller's (durable) transaction and returns how
    many rows it touched; ``holds`` answers whether there is anything at all (so a
    data link is mailed only to an address we hold something about). ``withdraw``
    (optional, for holders that write to the address) withdraws every consent to be
    written to, inside the caller's transaction, with the words the person was shown
    (``text``), and returns how many it withdrew: "stop all e-mails" means all.
    """

    name: str
    holds: Callable[[Keys], bool]
    export: Callable[[Keys], list[dict[str, Any]]]
    erase: Callable[[Keys], int]
    key: Callable[[str], str] | None = None
    withdraw: Callable[[Keys, str, str], int] | None = None


_HOLDERS: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    """Add a holder (again under the same name replaces it: ``ready`` may run twice in tests)."""
    _HOLDERS[holder.name] = holder


def holders() -> list[Holder]:
    return list(_HOLDERS.values())


def own_keys(email: str) -> dict[str, str]:
    """The holders' own digests of a normalised address (those that do not use the shared one)."""
    return {h.name: h.key(email) for h in _HOLDERS.values() if h.key is not None}
