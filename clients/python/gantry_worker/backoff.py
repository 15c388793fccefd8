"""Exponential backoff with jitter, for retrying a server that is away."""
import random


class Backoff:
    """delay() grows initial, initial*multiplier, ... up to maximum, each spread by +-jitter; reset() starts over."""

    def __init__(self, initial=0.5, multiplier=2.0, maximum=30.0, jitter=0.2, rng=None):
        if initial <= 0 or multiplier < 1 or maximum < initial or not 0 <= jitter < 1:
            raise ValueError("bad backoff: initial=%r multiplier=%r maximum=%r jitter=%r"
                             % (initial, multiplier, maximum, jitter))
        self.initial, self.multiplier, self.maximum, self.jitter = initial, multiplier, maximum, jitter
        self.failures = 0
        self._rng = rng or random.Random()

    def delay(self):
        """The wait before the next try, counting one more failure."""
        base = min(self.maximum, self.initial * self.multiplier ** self.failures)
        self.failures += 1
        spread = base * self.jitter
        return max(0.0, min(self.maximum, base + self._rng.uniform(-spread, spread)))

    def reset(self):
        self.failures = 0
