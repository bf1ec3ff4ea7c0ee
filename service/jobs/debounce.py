"""Per process, the last edit of each unit waits until the unit has been quiet for a while; only then
is its rendering sent to the queue. During a rush a unit saves every few seconds, and each save used to
put a message on the broker that was skipped twenty seconds later (a later save had superseded it): in
the bench that was a broker write and a task run per save, and it cost the saves half their speed.
Now a rush sends nothing until people pause. A process that dies first loses only the head start:
what the task would have rendered is rendered on the first request instead."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable

log = logging.getLogger(__name__)


class Debouncer:
    """``submit(key, args)`` keeps the latest args per key; ``send(args)`` is called once a key has had
    no submit for ``delay`` seconds. One daemon thread, alive only while something waits."""

    def __init__(self, delay: float, send: Callable[[list], object], clock: Callable[[], float] = time.monotonic,
                 *, throttle: bool = False):
        """``throttle``: a key is sent ``delay`` after its first submit even if submits go on (a steady
        stream of survey forms must still reach the index), instead of after the last."""
        self.delay, self.send, self.clock, self.throttle = delay, send, clock, throttle
        self.waiting: dict[Hashable, tuple[float, list]] = {}
        self.changed = threading.Condition()
        self.thread: threading.Thread | None = None

    def submit(self, key: Hashable, args: list) -> None:
        with self.changed:
            due = self.waiting[key][0] if self.throttle and key in self.waiting else self.clock() + self.delay
            self.waiting[key] = (due, args)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, daemon=True, name="cchc-debounce")
                self.thread.start()
            self.changed.notify()

    def cancel(self) -> None:
        """Forget what waits (the process or its app is closing); the thread ends."""
        with self.changed:
            self.waiting.clear()
            self.changed.notify()

    def _run(self) -> None:
        while True:
            with self.changed:
                if not self.waiting:
                    self.thread = None
                    return
                now = self.clock()
                due = [key for key, (at, _) in self.waiting.items() if at <= now]
                ready = [self.waiting.pop(key)[1] for key in due]
                if not ready:
                    self.changed.wait(min(at for at, _ in self.waiting.values()) - now)
                    continue
            for args in ready:
                try:
                    self.send(args)
                except Exception:                    # noqa: BLE001 — rendering ahead is an optimisation
                    log.exception("không gửi được việc vẽ lại văn bản %s", args)
