"""A limit on failed counsellor logins, against password guessing.

Failures are counted per username and per client address within a sliding
window. Once a username has :data:`MAX_PER_USER` failures in the window, or an
address :data:`MAX_PER_ADDRESS` (higher: an office may share one address), every
login with it is refused until the oldest failure leaves the window, without
checking the password. A successful login clears its username's failures.

Kept in the gateway's memory: a restart forgets the failures, which only an
operator can cause. Memory stays bounded: stale keys are dropped.
"""

from __future__ import annotations

import math
import time
from collections import deque
from typing import Callable, Deque, Dict, Tuple

MAX_PER_USER = 5
MAX_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60
#: Keys kept before stale ones are dropped.
MAX_KEYS = 10_000

Key = Tuple[str, str]


class LoginLimiter:
    """Counts failed logins; :meth:`retry_after` says whether a new attempt may be checked."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._failures: Dict[Key, Deque[float]] = {}

    def _recent(self, key: Key) -> Deque[float]:
        """The failure times of ``key`` still inside the window (older ones are dropped)."""
        times = self._failures.get(key, deque())
        while times and times[0] <= self.clock() - WINDOW_SECONDS:
            times.popleft()
        return times

    def _keys(self, username: str, address: str) -> Tuple[Tuple[Key, int], Tuple[Key, int]]:
        return ((("user", username.casefold()), MAX_PER_USER), (("address", address), MAX_PER_ADDRESS))

    def retry_after(self, username: str, address: str) -> int:
        """0 if a login for ``username`` from ``address`` may be checked, else seconds to wait (>= 1)."""
        wait = 0.0
        for key, limit in self._keys(username, address):
            times = self._recent(key)
            if len(times) >= limit:
                wait = max(wait, times[-limit] + WINDOW_SECONDS - self.clock())
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, username: str, address: str) -> None:
        """Count a failed login."""
        if len(self._failures) >= MAX_KEYS:
            self._failures = {key: times for key, times in self._failures.items() if self._recent(key)}
        for key, _ in self._keys(username, address):
            self._failures.setdefault(key, deque()).append(self.clock())

    def succeeded(self, username: str) -> None:
        """A right password: forget the username's failures."""
        self._failures.pop(("user", username.casefold()), None)
