"""Uploaded files checked by what they contain, before anything keeps them: the type by parsing (not
by the name), zip archives bounded before they are opened (total size, compression ratio, number of
members), and active content refused — JavaScript, launch actions and embedded files in PDFs, macros
and ActiveX in Office files, anything after the end of an image (an HTML page hidden behind a PNG
header). Files that call out when opened are refused too (security review S12): a PDF that opens an
address by itself or points at another file (/GoToR, /GoToE — a Windows share leaks the reader's
password hash), bytes after a PDF's last %%EOF (a ZIP hidden behind it), an Office file whose parts
are fetched from elsewhere (a remote template) or that embeds OLE objects. A link the reader clicks
stays allowed. Every refusal is a ValueError with a Vietnamese message that names the file."""
from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    total: int = 100 * MB          # uncompressed bytes of all members together
    ratio: int = 100               # uncompressed / compressed, per member
    members: int = 2000


class UnsafeFile(ValueError):
    """A file refused for what it contains (not for its size or type)."""


class BrokenArchive(UnsafeFile):
    """Not a zip archive at all (a damaged file, or another kind renamed)."""


def check_zip(data: bytes, name: str, limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """Open a zip (DOCX, XLSX) only after its directory shows it is bounded; UnsafeFile otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise BrokenArchive(f"tệp {name!r} hỏng hoặc không phải tệp Office (.docx, .xlsx)") from None
    if len(members) > limits.members:
        raise UnsafeFile(f"tệp {name!r} có quá nhiều thành phần ({len(members)}); tối đa {limits.members}")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1 * MB and member.file_size > limits.ratio * max(member.compress_size, 1):
            raise UnsafeFile(f"tệp {name!r} nén bất thường (tỷ lệ nén quá {limits.ratio} lần): có thể là tệp gây hại")
    if total > limits.total:
        raise UnsafeFile(f"tệp {name!r} khi giải nén lớn {total // MB} MB, quá giới hạn {limits.total // MB} MB")
    return archive


_PDF_ACTIVE = {"/JS": "mã JavaScript", "/JavaScript": "mã JavaScript", "/Launch": "lệnh chạy chương trình",
               "/EmbeddedFile": "tệp nhúng", "/EmbeddedFiles": "tệp nhúng", "/RichMedia": "nội dung đa phương tiện",
               "/XFA": "biểu mẫu XFA", "/SubmitForm": "lệnh gửi dữ liệu", "/ImportData": "lệnh nhập dữ liệu"}
_PDF_MAX_NODES = 500_000
#: Actions refused wherever they are: they run a program, send data or open another file.
_PDF_REFUSED_ACTIONS = ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE")
#: Actions refused when they run by themselves (on opening, on a page, on a field) rather than on a click.
_PDF_AUTOMATIC_KEYS = ("/OpenAction", "/AA")
_PDF_CALLS_OUT = ("/URI",)


def _trailing_bytes(data: bytes) -> bool:
    """Whether anything but whitespace follows the PDF's last %%EOF (a file appended: a polyglot)."""
    end = data.rfind(b"%%EOF")
    return end < 0 or bool(data[end + 5:].strip(b" \t\r\n\x00\x0c"))


def _action_calls_out(value, depth: int = 0) -> bool:
    """Whether an action (and its /Next chain) opens an address; a destination array is not an action."""
    from pypdf.generic import ArrayObject, DictionaryObject
    node = value.get_object() if hasattr(value, "get_object") else value
    if depth > 50:
        return True                                        # a chain that long is not a document's
    if isinstance(node, ArrayObject):
        return any(_action_calls_out(item, depth + 1) for item in node
                   if isinstance(item.get_object() if hasattr(item, "get_object") else item, DictionaryObject)
                   and "/S" in (item.get_object() if hasattr(item, "get_object") else item))
    if isinstance(node, DictionaryObject):
        return node.get("/S") in _PDF_CALLS_OUT or ("/Next" in node and _action_calls_out(node["/Next"], depth + 1))
    return False


def _calls_out_by_itself(key: str, value) -> bool:
    """Whether an /OpenAction, or any trigger of an /AA dictionary, opens an address without a click."""
    from pypdf.generic import DictionaryObject
    if key == "/OpenAction":
        return _action_calls_out(value)
    triggers = value.get_object() if hasattr(value, "get_object") else value
    return isinstance(triggers, DictionaryObject) and any(_action_calls_out(action) for action in triggers.values())


def inspect_pdf(data: bytes, name: str) -> None:
    """A PDF that pypdf can read, with no active content anywhere reachable from its catalogue."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
    if not data.startswith(b"%PDF-"):
        raise UnsafeFile(f"tệp {name!r}: nội dung không phải PDF")
    logging.getLogger("pypdf").setLevel(logging.ERROR)        # a damaged file is a refusal, not a log line
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        reader.trailer["/Root"].get_object()
        pages = len(reader.pages)
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, RecursionError, OSError):
        raise UnsafeFile(f"tệp {name!r} không phải PDF đọc được (tệp hỏng, hoặc nội dung khác đổi đuôi .pdf)") from None
    if pages == 0:
        raise UnsafeFile(f"tệp {name!r}: PDF không có trang nào")
    if _trailing_bytes(data):
        raise UnsafeFile(f"tệp {name!r} có dữ liệu lạ sau phần kết thúc của PDF (có thể là tệp khác ghép vào): không nhận; "
                         "hãy in lại thành PDF")
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer.get_object()]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > _PDF_MAX_NODES:
            raise UnsafeFile(f"tệp {name!r}: cấu trúc PDF quá phức tạp để kiểm tra")
        try:
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for key in node.keys():
                    if key in _PDF_ACTIVE:
                        raise UnsafeFile(f"tệp {name!r} chứa {_PDF_ACTIVE[key]} ({key}): không nhận PDF có nội dung chủ động; "
                                         "hãy in lại thành PDF hoặc quét lại")
                    if key == "/S" and node[key] in _PDF_REFUSED_ACTIONS:
                        raise UnsafeFile(f"tệp {name!r} chứa hành động {node[key]}: không nhận PDF có nội dung chủ động "
                                         "hoặc mở tệp ở nơi khác")
                    if key in _PDF_AUTOMATIC_KEYS and _calls_out_by_itself(key, node[key]):
                        raise UnsafeFile(f"tệp {name!r} tự mở địa chỉ mạng khi được mở ({key}): không nhận; hãy in lại "
                                         "thành PDF")
                stack.extend(value for key, value in node.items() if key not in ("/Parent", "/P"))
            elif isinstance(node, ArrayObject):
                stack.extend(node)
        except UnsafeFile:
            raise
        except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, RecursionError, OSError):
            raise UnsafeFile(f"tệp {name!r}: PDF có đối tượng hỏng, không kiểm tra được") from None


_IMAGE_ENDS = {"PNG": b"IEND\xaeB`\x82", "JPEG": b"\xff\xd9"}


def inspect_image(data: bytes, name: str, expected: str) -> None:
    """A PNG or JPEG that Pillow decodes, of the expected format, with nothing after its end."""
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise UnsafeFile(f"tệp {name!r} không phải ảnh {expected} đọc được") from None
    if found != expected:
        raise UnsafeFile(f"tệp {name!r} là ảnh {found}, không phải {expected} như tên tệp")
    if not data.rstrip(b"\x00").endswith(_IMAGE_ENDS[expected]):
        raise UnsafeFile(f"tệp {name!r} có dữ liệu lạ sau phần ảnh (có thể là trang web hoặc mã ẩn): không nhận")


#: What an Office file may embed: other Office files (a chart's workbook, checked in turn) and pictures.
_EMBEDDED_KINDS = (".xlsx", ".docx", ".pptx", ".png", ".jpeg", ".jpg", ".emf", ".wmf", ".gif", ".bmp")
#: The one relationship that may point outside the file: a hyperlink, followed only on a click.
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _external_part(rels: bytes) -> str | None:
    """The target of the first relationship fetched from outside the file (not a hyperlink), or None."""
    from defusedxml import ElementTree
    try:
        root = ElementTree.fromstring(rels)
    except Exception:                     # noqa: BLE001 — an unreadable part: the file is refused
        return "phần quan hệ hỏng"
    for relation in root:
        if relation.get("TargetMode", "").lower() == "external" and relation.get("Type") != _HYPERLINK:
            return relation.get("Target", "")
    return None


def inspect_office(data: bytes, name: str, main_part: str, depth: int = 0) -> None:
    """DOCX/XLSX: a bounded zip holding its main part, without macros, ActiveX controls, OLE objects or
    parts fetched from elsewhere; embedded Office files checked the same way."""
    archive = check_zip(data, name)
    names = archive.namelist()
    if main_part not in names:
        raise UnsafeFile(f"tệp {name!r}: nội dung không phải {PurePath(name).suffix[1:].upper()} (tệp hỏng hoặc đổi đuôi)")
    lowered = [n.lower() for n in names]
    if any(n.endswith("vbaproject.bin") or "/activex/" in n for n in lowered):
        raise UnsafeFile(f"tệp {name!r} chứa macro hoặc điều khiển ActiveX: không nhận; hãy lưu lại dạng .docx/.xlsx thường")
    for member, low in zip(names, lowered):
        if "/embeddings/" in low and not low.endswith(_EMBEDDED_KINDS):
            raise UnsafeFile(f"tệp {name!r} nhúng đối tượng OLE ({PurePath(member).name}): không nhận; hãy chép nội "
                             "dung vào văn bản hoặc gửi thành tệp riêng")
        if low.endswith(".rels"):
            target = _external_part(archive.read(member))
            if target:
                raise UnsafeFile(f"tệp {name!r} lấy nội dung từ nơi khác khi mở ({target[:80]}): không nhận; hãy lưu "
                                 "lại văn bản thành tệp mới")
        if depth == 0 and "/embeddings/" in low and low.endswith((".docx", ".xlsx", ".pptx")):
            inner = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".pptx": "ppt/presentation.xml"}
            inspect_office(archive.read(member), f"{name}/{PurePath(member).name}", inner[low[-5:]], depth=1)
