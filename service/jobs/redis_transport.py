"""kombu's Redis transport, except that one message it cannot read is dropped (logged) instead of
stopping the worker: kombu raises out of its read loop on a body that is not its JSON envelope, and
Celery calls that "Unrecoverable" and exits (celery/celery#4308; security review S13: one
``LPUSH cchc "\\x00\\xffnot json"`` killed ``cchc worker``). The message has been taken off the list
by then, so dropping it loses nothing that could ever have run."""
from __future__ import annotations

import logging
from queue import Empty

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport import redis

log = logging.getLogger(__name__)
#: What kombu raises on a message that is not its envelope: bad JSON or UTF-8, a missing field.
UNREADABLE = (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError)


class Channel(redis.Channel):
    def _brpop_read(self, **options):
        try:
            return super()._brpop_read(**options)
        except UNREADABLE as error:
            log.error("bỏ một thông điệp hỏng trong hàng đợi (không đọc được: %s)", type(error).__name__)
            raise Empty() from None

    def _get(self, queue):
        try:
            return super()._get(queue)
        except UNREADABLE as error:
            log.error("bỏ một thông điệp hỏng trong hàng đợi %s (không đọc được: %s)", queue, type(error).__name__)
            raise Empty() from None


class Transport(redis.Transport):
    Channel = Channel


def install() -> None:
    """Make ``redis://`` broker URLs use this transport (in this process)."""
    TRANSPORT_ALIASES["redis"] = f"{__name__}:Transport"
