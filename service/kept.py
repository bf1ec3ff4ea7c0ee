"""A small per-process cache of things made once per key, the least recently used forgotten first,
safe across the threads of a worker: validated parts and parsed campaigns (keyed by content hash),
rendered drafts, charts. One class for every layer, so no layer writes a second LRU."""
from __future__ import annotations

import threading
from collections import OrderedDict


class Kept:
    """A small per-process cache of things made once per key (validated parts, parsed campaigns,
    rendered documents, all keyed by content hash), the least recently used forgotten first; safe
    across the threads of a worker."""

    def __init__(self, size: int):
        self.size, self.values, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, make):
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = make()
        self._keep(key, value)
        return value

    def latest(self, slot, version, make):
        """The value kept in ``slot`` if it was made for ``version``, else ``make()`` kept there in its
        place: one value per slot, so what an edit superseded is not kept (nor walked by the garbage
        collector, whose pauses a rush of saves would otherwise fill with stale parts)."""
        with self.lock:
            kept = self.values.get(slot)
            if kept is not None and kept[0] == version:
                self.values.move_to_end(slot)
                return kept[1]
        value = make()
        self._keep(slot, (version, value))
        return value

    def _keep(self, key, value) -> None:
        """``value`` under ``key`` as the newest, the oldest forgotten beyond the size."""
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)
