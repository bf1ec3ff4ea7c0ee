"""The signature block (ô 7a–7b): authority prefixes TM., KT., Q., TL., TUQ. stacked as ND30 shows."""
from __future__ import annotations

from typing import Literal

Authority = Literal["", "TM", "KT", "Q", "TL", "TUQ"]
_DEPUTY_PREFIXES = ("phó ", "thứ trưởng")


def upper_vi(text: str) -> str:
    """Upper case with Vietnamese letters (Python's str.upper handles ư, ơ, đ and tone marks)."""
    return text.upper()


def _is_deputy(title: str) -> bool:
    return title.strip().lower().startswith(_DEPUTY_PREFIXES)


def signature_title_lines(authority: Authority, title: str, *, collective: str | None = None,
                          principal: str | None = None, deputy_of: str | None = None) -> list[str]:
    """The upper-case lines above the signature.

    * ``TM``: on behalf of the collective ``collective`` (``TM. ỦY BAN NHÂN DÂN``); when a deputy signs,
      ``principal`` is the head's title (``KT. CHỦ TỊCH`` / ``PHÓ CHỦ TỊCH``);
    * ``KT``: a deputy signs for the head ``principal`` (``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC``);
    * ``Q``: the acting head (``Q. GIÁM ĐỐC``), ``title`` being the head's title;
    * ``TL``: the head of a unit signs by standing order of ``principal`` (``TL. CHỦ TỊCH`` /
      ``CHÁNH VĂN PHÒNG``); a deputy of that unit adds ``deputy_of`` (``KT. CHÁNH VĂN PHÒNG``);
    * ``TUQ``: delegated by ``principal`` (``TUQ. GIÁM ĐỐC`` / ``TRƯỞNG PHÒNG …``);
    * ``""``: the head signs in their own name (``GIÁM ĐỐC``).
    """
    title = title.strip()
    if not title:
        raise ValueError("thiếu chức vụ người ký")
    if authority == "TM":
        if not collective:
            raise ValueError("ký TM. cần tên tập thể (ví dụ Ủy ban nhân dân)")
        lines = [f"TM. {upper_vi(collective)}"]
        if principal:
            if not _is_deputy(title):
                raise ValueError(f"KT. {principal}: người ký phải là cấp phó (Phó …), không phải {title!r}")
            lines.append(f"KT. {upper_vi(principal)}")
        elif _is_deputy(title):
            raise ValueError(f"cấp phó {title!r} ký thay mặt tập thể phải ghi KT. (thiếu chức vụ người đứng đầu)")
        return lines + [upper_vi(title)]
    if authority == "KT":
        if not principal:
            raise ValueError("ký KT. cần chức vụ của người đứng đầu (ví dụ Giám đốc)")
        if not _is_deputy(title):
            raise ValueError(f"KT. {principal}: người ký phải là cấp phó (Phó …), không phải {title!r}")
        return [f"KT. {upper_vi(principal)}", upper_vi(title)]
    if authority == "Q":
        return [f"Q. {upper_vi(title)}"]
    if authority in ("TL", "TUQ"):
        if not principal:
            raise ValueError(f"ký {authority}. cần chức vụ của người đứng đầu cơ quan")
        lines = [f"{authority}. {upper_vi(principal)}"]
        if deputy_of:
            if authority != "TL":
                raise ValueError("chỉ ký TL. mới được giao lại cho cấp phó (KT.)")
            lines.append(f"KT. {upper_vi(deputy_of)}")
        return lines + [upper_vi(title)]
    if authority == "":
        return [upper_vi(title)]
    raise ValueError(f"thẩm quyền ký không hợp lệ: {authority!r} (TM, KT, Q, TL, TUQ hoặc để trống)")
