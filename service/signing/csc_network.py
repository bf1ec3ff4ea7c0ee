"""Where the server may call a remote signing service, and how: a province's admin types the service's
address, so without limits the server would POST to any host it can reach — Redis on loopback, the
cloud's metadata address, the workspace itself — follow redirects there and read answers of any size
(security review S5), and the PIN would go wherever the address points (S3).

- Only the services the deployment allows (``CCHC_CSC_SERVICES``: origins such as
  ``https://rmgateway.vnptit.vn``, set by whoever runs the server, not by a province) — https unless
  the origin itself is written http://.
- A host name must resolve to public addresses only (checked at every connection, so DNS cannot be
  turned to loopback later); a literal address is reachable only when the allowed origin names it.
- No redirect is followed, an answer larger than ``MAX_ANSWER`` bytes is dropped, every call has a
  time limit."""
from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

#: Largest answer read from a signing service (its certificate chain, a SAD, signatures: kilobytes).
MAX_ANSWER = 1 << 20
#: Seconds for one call to the service, connection included.
TIMEOUT = 30


class ServiceRefused(ValueError):
    """The address or the answer breaks the rules above (Vietnamese message)."""


def _origin(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return parts.scheme, parts.hostname.lower().rstrip("."), port


def allowed_services() -> list[tuple[str, str, int]]:
    """The origins of ``CCHC_CSC_SERVICES`` (comma- or space-separated)."""
    raw = os.environ.get("CCHC_CSC_SERVICES", "")
    return [origin for origin in (_origin(item) for item in raw.replace(",", " ").split()) if origin]


def _shown(origin: tuple[str, str, int]) -> str:
    scheme, host, port = origin
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + ("" if port == default else f":{port}")


def allowed_service_names() -> list[str]:
    """The allowed origins as the admin types them."""
    return [_shown(origin) for origin in allowed_services()]


def check_service_url(url: str) -> None:
    """ServiceRefused unless ``url`` is under an origin the deployment allows."""
    allowed = allowed_services()
    if not allowed:
        raise ServiceRefused("máy chủ này chưa cho phép dịch vụ ký số từ xa nào (người quản trị máy chủ khai báo các "
                             "dịch vụ được dùng trong CCHC_CSC_SERVICES)")
    if _origin(url) not in allowed:
        raise ServiceRefused("địa chỉ dịch vụ ký số từ xa phải thuộc một trong các dịch vụ máy chủ cho phép: "
                             + ", ".join(_shown(origin) for origin in allowed))


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def client_session():
    """An aiohttp session that keeps to the rules of the module's docstring."""
    import aiohttp
    from aiohttp.abc import AbstractResolver

    class PublicOnlyResolver(AbstractResolver):
        """Names resolve to public addresses only, at each connection (no DNS rebinding to loopback)."""

        def __init__(self):
            self._inner = aiohttp.ThreadedResolver()

        async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
            answers = await self._inner.resolve(host, port, family)
            if _literal(host) is None and any(not _public(answer["host"]) for answer in answers):
                raise ServiceRefused(f"tên máy chủ {host} trỏ tới địa chỉ nội bộ; không gọi")
            return answers           # a literal address: reached only when the allowed origin names it

        async def close(self) -> None:
            await self._inner.close()

    async def on_start(session, context, params):
        check_service_url(str(params.url))
        context.size = 0

    async def on_redirect(session, context, params):
        raise ServiceRefused("dịch vụ ký số từ xa chuyển hướng sang địa chỉ khác; không theo")

    async def on_headers(session, context, params):
        length = params.response.content_length
        if length is not None and length > MAX_ANSWER:
            raise ServiceRefused(f"dịch vụ ký số từ xa trả lời quá lớn ({length} byte)")

    async def on_chunk(session, context, params):
        context.size += len(params.chunk)
        if context.size > MAX_ANSWER:
            raise ServiceRefused("dịch vụ ký số từ xa trả lời quá lớn")

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    trace.on_request_redirect.append(on_redirect)
    trace.on_request_end.append(on_headers)
    trace.on_response_chunk_received.append(on_chunk)
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=PublicOnlyResolver()),
                                 trace_configs=[trace], timeout=aiohttp.ClientTimeout(total=TIMEOUT))
