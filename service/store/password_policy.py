"""Which passwords a person may choose (NIST SP 800-63B §3.1.1.2, security review S7): long enough —
12 characters for the accounts that approve, seal or run the server, 8 for the rest — and not one an
attacker tries first: the 30 000 most common leaked passwords (the list zxcvbn ships, a well-kept
package rather than a list of our own) and a few Vietnamese favourites, the account's own name, the
demo password published in the README, one or two characters repeated, a run such as 12345678 or
abcdefgh, whitespace alone, or control characters. No composition rules (NIST advises against them)."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

MIN_LENGTH = 8
#: Roles whose password guards an approval, the agency's seal or the whole server.
LONGER_FOR = {"leader": 12, "vanthu": 12, "system": 12}
DEMO_PASSWORD = "cchc-demo-2026"
VIETNAMESE_COMMON = ("matkhau", "matkhau123", "matkhau@123", "anhyeuem", "emyeuanh", "iloveyou", "vietnam",
                     "vietnam123", "hanoi123", "saigon123", "123456aa", "123456a@", "abc@1234", "admin@123",
                     "motdenchin", "123456789a", "quantri", "quantri123", "cchc2026", "cchc@2026")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(VIETNAMESE_COMMON) | {DEMO_PASSWORD}


def minimum_length(role: str | None) -> int:
    return LONGER_FOR.get(role or "", MIN_LENGTH)


def _a_run(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    return len(steps) == 1 and steps <= {1, -1}


def password_problem(password: str, *, username: str = "", role: str | None = None) -> str | None:
    """Why ``password`` may not be chosen, in Vietnamese; None when it may."""
    if any(unicodedata.category(c) == "Cc" for c in password):
        return "mật khẩu chứa ký tự điều khiển (tab, xuống dòng, NUL …)"
    if not password.strip():
        return "mật khẩu không được chỉ gồm khoảng trắng"
    least = minimum_length(role)
    if len(password) < least:
        return f"mật khẩu phải có ít nhất {least} ký tự"
    folded = unicodedata.normalize("NFC", password).strip().lower()
    if folded in common_passwords():
        return "mật khẩu này quá phổ biến (nằm trong danh sách mật khẩu bị lộ hoặc là mật khẩu mẫu); hãy chọn cụm từ khác"
    name = (username or "").strip().lower()
    if len(name) >= 3 and name in folded:
        return "mật khẩu không được chứa tên đăng nhập"
    if len(set(folded)) <= 2:
        return "mật khẩu chỉ lặp lại một, hai ký tự; hãy chọn cụm từ khác"
    if _a_run(folded):
        return "mật khẩu là dãy ký tự liên tiếp (như 12345678, abcdefgh); hãy chọn cụm từ khác"
    return None
