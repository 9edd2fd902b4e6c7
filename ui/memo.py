"""Reads that every rerun repeats, kept in this process until the data they came from changes.

``st.cache_data`` hashes its arguments and unpickles a copy of the value on every hit, about
half a millisecond each; the sidebar, the PIN check and the Weekly review ask for the same
few small results on every run, where that is a large part of a rerun. A memo here is a
dictionary lookup. Its key is the database file and the read's arguments whose names do not
start with an underscore (a data version among them, so a write makes the next run read
again). The value is shared, not copied: only frozen results that no caller changes.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from core.db.connection import database_target

T = TypeVar("T")

_all: list[OrderedDict[tuple[Hashable, ...], object]] = []
_lock = threading.Lock()


def memo(entries: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Keep the ``entries`` most recent results of a read (called with positional arguments)."""

    def decorate(read: Callable[..., T]) -> Callable[..., T]:
        names = list(inspect.signature(read).parameters)
        keyed = [index for index, name in enumerate(names) if not name.startswith("_")]
        kept: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()
        with _lock:
            _all.append(kept)

        @functools.wraps(read)
        def remembered(*args: object) -> T:
            key = (database_target(), *(args[index] for index in keyed))
            with _lock:
                if key in kept:
                    kept.move_to_end(key)
                    return kept[key]  # type: ignore[return-value]
            value = read(*args)
            with _lock:
                kept[key] = value
                while len(kept) > entries:
                    kept.popitem(last=False)
            return value

        return remembered

    return decorate


def forget(target: str) -> None:
    """Drop every result read from ``target``: the file was opened anew (it may have been
    replaced, and its data versions start again)."""
    with _lock:
        for kept in _all:
            for key in [key for key in kept if key[0] == target]:
                del kept[key]
