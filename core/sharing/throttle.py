"""Slowing down guesses: a growing delay after repeated failures, per key, in memory.

:class:`LoginThrottle` slows wrong owner passphrases; :class:`BadTokenThrottle` slows a
browser that keeps presenting share-link tokens that are not valid. Thread-safe, so one
instance serves every browser session of the process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class Throttle:
    """Counts failed attempts per key and says how long to wait: a growing delay.

    In memory and thread-safe (one instance may serve every browser session of the
    process). The first ``free_failures`` failures cost nothing; after that each one
    doubles the delay, from ``base_delay_s`` up to ``max_delay_s``. A key's count is
    forgotten after ``forget_after_s`` seconds without a failure. ``clock`` returns
    seconds (monotonic by default); tests pass a fake one.
    """

    default_max_delay_s: float = 30.0

    def __init__(
        self,
        *,
        free_failures: int = 3,
        base_delay_s: float = 1.0,
        max_delay_s: float | None = None,
        forget_after_s: float = 900.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_delay_s is None:
            max_delay_s = self.default_max_delay_s
        if free_failures < 0 or base_delay_s <= 0 or max_delay_s < base_delay_s:
            raise ValueError("free_failures >= 0 and 0 < base_delay_s <= max_delay_s.")
        if forget_after_s <= 0 or max_keys < 1:
            raise ValueError("forget_after_s and max_keys must be positive.")
        self.free_failures = free_failures
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.forget_after_s = forget_after_s
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (failures, time of the last failure)
        self._entries: dict[str, tuple[int, float]] = {}

    def delay_after(self, failures: int) -> float:
        """The delay that the ``failures``-th failure in a row earns."""
        excess = failures - self.free_failures
        if excess <= 0:
            return 0.0
        # Cap the exponent first: 2**excess would overflow for a long run of failures.
        cap = math.ceil(math.log2(self.max_delay_s / self.base_delay_s)) + 1
        return min(self.max_delay_s, self.base_delay_s * 2.0 ** min(excess - 1, cap))

    def _current(self, key: str, now: float) -> tuple[int, float] | None:
        entry = self._entries.get(key)
        if entry is not None and now - entry[1] >= self.forget_after_s:
            del self._entries[key]
            return None
        return entry

    def record_failure(self, key: str) -> float:
        """Count one failure for ``key``; return the seconds to wait before answering."""
        with self._lock:
            now = self._clock()
            entry = self._current(key, now)
            failures = (entry[0] if entry else 0) + 1
            self._entries[key] = (failures, now)
            self._prune(now)
            return self.delay_after(failures)

    def failures(self, key: str) -> int:
        """Failures counted for ``key`` and not yet forgotten."""
        with self._lock:
            entry = self._current(key, self._clock())
            return entry[0] if entry else 0

    def wait_remaining(self, key: str) -> float:
        """Seconds left before the next attempt for ``key`` should be checked (0 if none)."""
        with self._lock:
            now = self._clock()
            entry = self._current(key, now)
            if entry is None:
                return 0.0
            failures, last = entry
            return max(0.0, last + self.delay_after(failures) - now)

    def reset(self, key: str) -> None:
        """Forget ``key``'s failures (after a success)."""
        with self._lock:
            self._entries.pop(key, None)

    def _prune(self, now: float) -> None:
        if len(self._entries) <= self.max_keys:
            return
        for key in [k for k, (_, t) in self._entries.items() if now - t >= self.forget_after_s]:
            del self._entries[key]
        if len(self._entries) > self.max_keys:
            oldest = sorted(self._entries, key=lambda k: self._entries[k][1])
            for key in oldest[: len(self._entries) - self.max_keys]:
                del self._entries[key]


class LoginThrottle(Throttle):
    """Slows wrong owner passphrases: 3 free tries, then 1 s, 2 s, 4 s ... up to 60 s.

    A new browser session costs an attacker nothing, so the login page should use one
    process-wide key (for example ``"owner"``) rather than one per session.
    """

    default_max_delay_s = 60.0


class BadTokenThrottle(Throttle):
    """Slows a browser session that keeps presenting bad tokens.

    Three bad tokens are free (a mistyped link); after that each one earns a doubling
    delay, 1 s up to 30 s, that the page waits before showing the neutral message.
    Key it by the browser session. With 256-bit tokens guessing is hopeless anyway;
    this only makes a scan noisy and slow.
    """

    default_max_delay_s = 30.0
