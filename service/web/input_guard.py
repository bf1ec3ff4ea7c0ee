"""One check at the door for every request: no NUL character in a form field, a query argument or a
JSON string. PostgreSQL refuses NUL in text, so a NUL that reached the database was a 500 (security
review S11: a step's reason, an account's name, a token's note, a province's name); no field of the
product can hold one, so it is refused before any view, with the field named in Vietnamese."""
from __future__ import annotations

from flask import abort, request

NUL = "\x00"


def _json_path_with_nul(value, path: str = "") -> str | None:
    if isinstance(value, str):
        return path or "(nội dung)" if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return where
            found = _json_path_with_nul(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _json_path_with_nul(item, f"{path}[{index}]")
            if found:
                return found
    return None


def field_with_nul() -> str | None:
    """The first field of the request that carries a NUL character, or None."""
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            name, value = name or "", value if isinstance(value, str) else ""      # a part may come without a name
            if NUL in name or NUL in value:
                return name.replace(NUL, "")
    if request.is_json:
        return _json_path_with_nul(request.get_json(silent=True))
    return None


def refuse_nul() -> None:
    field = field_with_nul()
    if field is not None:
        abort(400, description=f"Trường «{field[:80]}» chứa ký tự NUL (\\0), không được phép; hãy nhập lại. "
                               "Không có gì được lưu.")


def init_app(app) -> None:
    app.before_request(refuse_nul)
