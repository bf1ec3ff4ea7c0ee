"""PDF/A-2b (ISO 19005-2) checked on the file's structure with pikepdf (qpdf), independently of the
writer that made it and of pyHanko that signed it — veraPDF, the reference validator, is a Java program
not installable here. Each problem is a Vietnamese sentence naming the clause.

Covered: the header and its binary comment, the trailer's ID, no encryption, qpdf's structural check;
the XMP metadata (part 2, conformance B) and its agreement with the Info dictionary (6.6.2.3.1); the
PDF/A output intent with an ICC profile (6.2.3); every font embedded, in pages, forms and appearances
(6.2.11.4.1); device colours against the output intent, in resources, images and content operators
(6.2.4.3); graphics states without transfer functions or halftones (6.2.5); images and XObjects without
alternates, OPI, interpolation or PostScript (6.2.8, 6.2.9); streams without external files or LZW
(6.1.7); every annotation of an allowed type, printable and visible, with only a normal appearance
(6.3); widgets without actions, no NeedAppearances, no XFA (6.4); no JavaScript or forbidden actions, no
additional actions on the catalog or pages, no embedded files (6.5, 6.8).

Not covered (said in the README): the font programs' insides (glyph widths against the dictionaries,
6.2.11.5; cmaps and encodings, 6.2.11.6–7; .notdef), the ICC profile beyond its header, extension
schemas for custom XMP properties (6.6.2.3.2), transparency groups' colour spaces (6.2.10), optional
content (6.9), colours inside inline images and Type 3 glyphs, and implementation limits (6.1.13)."""
from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import pikepdf

NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "dc": "http://purl.org/dc/elements/1.1/"}

#: Annotation types ISO 19005-2 6.3.1 does not allow.
FORBIDDEN_ANNOTATIONS = {"/3D", "/Sound", "/Screen", "/Movie", "/RichMedia"}
#: Action types ISO 19005-2 6.5.1 does not allow.
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide", "/SetOCGState",
                     "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
PRINT, HIDDEN, INVISIBLE, NOVIEW, TOGGLE_NOVIEW = 4, 2, 1, 32, 256
#: Operators that set a device colour directly, and the family they use.
COLOUR_OPERATORS = {"rg": "RGB", "RG": "RGB", "k": "CMYK", "K": "CMYK"}
DEVICE_SPACES = {"/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK"}


class _Walk:
    """Every object the pages reach (resources, forms, appearances), each once, gathering problems."""

    def __init__(self, output_family: str | None):
        self.problems: list[str] = []
        self.seen: set[tuple[int, int]] = set()
        self.output_family = output_family

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def first_visit(self, obj) -> bool:
        if not obj.is_indirect:
            return True
        key = obj.objgen
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def colour_space(self, space, where: str) -> None:
        name = space if isinstance(space, pikepdf.Name) else (space[0] if isinstance(space, pikepdf.Array) and len(space) else None)
        family = DEVICE_SPACES.get(str(name)) if name is not None else None
        if family and self.output_family and family != self.output_family:
            self.add(f"6.2.4.3: {where} dùng màu Device{family} khác không gian màu của output intent "
                     f"(Device{self.output_family})")

    def stream_filters(self, stream, where: str) -> None:
        for key in ("/F", "/FFilter", "/FDecodeParms"):
            if key in stream:
                self.add(f"6.1.7.1: {where} trỏ tới tệp bên ngoài ({key})")
        filters = stream.get("/Filter")
        names = [filters] if isinstance(filters, pikepdf.Name) else list(filters or ())
        if pikepdf.Name.LZWDecode in names:
            self.add(f"6.1.7.2: {where} nén bằng LZW")

    def content(self, holder, where: str) -> None:
        try:
            instructions = pikepdf.parse_content_stream(holder)
        except (pikepdf.PdfError, TypeError, ValueError) as error:
            self.add(f"{where}: không đọc được nội dung ({error})")
            return
        for instruction in instructions:
            family = COLOUR_OPERATORS.get(str(instruction.operator))
            if family and self.output_family and family != self.output_family:
                self.add(f"6.2.4.3: {where} tô màu Device{family} (toán tử {instruction.operator}) khác output intent")

    def resources(self, resources, where: str) -> None:
        if resources is None or not self.first_visit(resources):
            return
        for font in (resources.get("/Font") or {}).values():
            self.font(font, where)
        for space in (resources.get("/ColorSpace") or {}).values():
            self.colour_space(space, where)
        for state in (resources.get("/ExtGState") or {}).values():
            self.graphics_state(state, where)
        for name, xobject in (resources.get("/XObject") or {}).items():
            self.xobject(xobject, f"{where}, XObject {name}")
        for pattern in (resources.get("/Pattern") or {}).values():
            if isinstance(pattern, pikepdf.Stream) and self.first_visit(pattern):
                self.resources(pattern.get("/Resources"), f"{where}, pattern")
                self.content(pattern, f"{where}, pattern")

    def font(self, font, where: str) -> None:
        if not self.first_visit(font):
            return
        subtype = font.get("/Subtype")
        if subtype == pikepdf.Name.Type3:
            self.resources(font.get("/Resources"), f"{where}, phông Type 3")
            return
        described = font["/DescendantFonts"][0] if subtype == pikepdf.Name.Type0 else font
        descriptor = described.get("/FontDescriptor")
        name = str(font.get("/BaseFont", "?"))
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            self.add(f"6.2.11.4.1: phông {name} ({where}) không được nhúng")

    def graphics_state(self, state, where: str) -> None:
        if "/TR" in state:
            self.add(f"6.2.5: {where} có hàm chuyển đổi (TR)")
        if "/TR2" in state and state["/TR2"] != pikepdf.Name.Default:
            self.add(f"6.2.5: {where} có TR2 khác Default")
        if "/HTP" in state or "/HTO" in state:
            self.add(f"6.2.5: {where} có thông số bán sắc (HTP/HTO)")
        halftone = state.get("/HT")
        if isinstance(halftone, pikepdf.Dictionary) and ("/TransferFunction" in halftone or halftone.get("/HalftoneType", 1) not in (1, 5)):
            self.add(f"6.2.5: {where} có bán sắc không được phép")

    def xobject(self, xobject, where: str) -> None:
        if not isinstance(xobject, pikepdf.Stream) or not self.first_visit(xobject):
            return
        self.stream_filters(xobject, where)
        subtype = xobject.get("/Subtype")
        if "/OPI" in xobject:
            self.add(f"6.2.9: {where} có OPI")
        if subtype == pikepdf.Name.PS or xobject.get("/Subtype2") == pikepdf.Name.PS:
            self.add(f"6.2.9: {where} là XObject PostScript")
        if subtype == pikepdf.Name.Image:
            if "/Alternates" in xobject:
                self.add(f"6.2.8: {where} có ảnh thay thế (Alternates)")
            if bool(xobject.get("/Interpolate", False)):
                self.add(f"6.2.8: {where} bật Interpolate")
            if "/ColorSpace" in xobject:
                self.colour_space(xobject["/ColorSpace"], where)
            if "/SMask" in xobject:
                self.xobject(xobject["/SMask"], f"{where}, SMask")
        elif subtype == pikepdf.Name.Form:
            self.resources(xobject.get("/Resources"), where)
            self.content(xobject, where)

    def action(self, action, where: str) -> None:
        if isinstance(action, pikepdf.Dictionary) and action.get("/S") in FORBIDDEN_ACTIONS:
            self.add(f"6.5.1: {where} có hành động {action['/S']} không được phép")

    def annotation(self, annotation, where: str) -> None:
        subtype = annotation.get("/Subtype")
        if subtype in FORBIDDEN_ANNOTATIONS:
            self.add(f"6.3.1: {where} có chú thích loại {subtype} không được phép")
        if subtype == pikepdf.Name.Popup:
            return
        flags = int(annotation.get("/F", 0))
        if "/F" not in annotation or not flags & PRINT or flags & (HIDDEN | INVISIBLE | NOVIEW | TOGGLE_NOVIEW):
            self.add(f"6.3.2: {where}, chú thích {subtype} không đặt cờ in (Print) hoặc bị ẩn")
        rect = [float(v) for v in annotation.get("/Rect", (0, 0, 0, 0))]
        zero = rect[0] == rect[2] and rect[1] == rect[3]
        appearance = annotation.get("/AP")
        if appearance is None:
            if not zero and subtype != pikepdf.Name.Link:
                self.add(f"6.3.3: {where}, chú thích {subtype} không có hình hiển thị (AP)")
        else:
            if set(appearance.keys()) != {"/N"}:
                self.add(f"6.3.3: {where}, hình hiển thị của chú thích {subtype} có khóa ngoài N")
            normal = appearance.get("/N")
            if isinstance(normal, pikepdf.Stream):
                self.xobject(normal, f"{where}, hình hiển thị {subtype}")
            elif isinstance(normal, pikepdf.Dictionary):
                for state, stream in normal.items():
                    self.xobject(stream, f"{where}, hình hiển thị {subtype} {state}")
        if subtype == pikepdf.Name.Widget and ("/A" in annotation or "/AA" in annotation):
            self.add(f"6.4.1: {where}, trường biểu mẫu có hành động (A/AA)")
        if "/A" in annotation:
            self.action(annotation["/A"], where)


def _xmp(document: pikepdf.Pdf, problems: list[str]) -> ElementTree.Element | None:
    metadata = document.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        problems.append("6.6.2.1: không có siêu dữ liệu XMP trong Catalog")
        return None
    if metadata.get("/Type") != pikepdf.Name.Metadata or metadata.get("/Subtype") != pikepdf.Name.XML:
        problems.append("6.6.2.1: luồng siêu dữ liệu thiếu Type /Metadata, Subtype /XML")
    data = metadata.read_bytes()
    header = re.search(rb"<\?xpacket begin=[^>]*\?>", data)
    if header and (b"bytes=" in header.group(0) or b"encoding=" in header.group(0)):
        problems.append("6.6.2.1: đầu gói XMP dùng thuộc tính bytes hoặc encoding")
    try:
        return ElementTree.fromstring(data.strip(b"\x00 \r\n\t"))
    except ElementTree.ParseError as error:
        problems.append(f"6.6.2.1: XMP không phải XML hợp lệ ({error})")
        return None


def _xmp_value(root: ElementTree.Element, prefix: str, name: str) -> str | None:
    """A simple property (as attribute or element) or the first item of an Alt/Seq/Bag."""
    key = f"{{{NS[prefix]}}}{name}"
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if key in description.attrib:
            return description.attrib[key]
        element = description.find(f"{prefix}:{name}", NS)
        if element is not None:
            item = element.find(".//rdf:li", NS)
            return (item.text if item is not None else element.text) or ""
    return None


def _pdf_date(value: str) -> str:
    """'D:20261206051418+00'00'' → '2026-12-06T05:14:18' (the offset is compared apart)."""
    digits = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?", value)
    if not digits:
        return value
    y, mo, d, h, mi, s = (g or "00" for g in digits.groups())
    return f"{y}-{mo or '01'}-{d or '01'}T{h}:{mi}:{s}"


INFO_IN_XMP = {"/Title": ("dc", "title"), "/Author": ("dc", "creator"), "/Subject": ("dc", "description"),
               "/Keywords": ("pdf", "Keywords"), "/Creator": ("xmp", "CreatorTool"), "/Producer": ("pdf", "Producer"),
               "/CreationDate": ("xmp", "CreateDate"), "/ModDate": ("xmp", "ModifyDate")}


def _metadata(document: pikepdf.Pdf, problems: list[str]) -> None:
    root = _xmp(document, problems)
    if root is None:
        return
    part, conformance = _xmp_value(root, "pdfaid", "part"), _xmp_value(root, "pdfaid", "conformance")
    if part != "2" or conformance != "B":
        problems.append(f"6.6.4: XMP khai báo PDF/A phần {part or '—'}, mức {conformance or '—'} (cần 2, B)")
    info = document.trailer.get("/Info")
    for key, (prefix, name) in INFO_IN_XMP.items():
        if info is None or key not in info:
            continue
        value = str(info[key])
        in_xmp = _xmp_value(root, prefix, name)
        if key.endswith("Date"):
            same = in_xmp is not None and in_xmp.startswith(_pdf_date(value)[:19])
        else:
            same = in_xmp == value
        if not same:
            problems.append(f"6.6.2.3.1: Info {key} «{value}» khác XMP {prefix}:{name} «{in_xmp}»")


def _output_family(document: pikepdf.Pdf, problems: list[str]) -> str | None:
    intents = [i for i in document.Root.get("/OutputIntents", ()) if i.get("/S") == pikepdf.Name.GTS_PDFA1]
    if not intents:
        problems.append("6.2.3: không có output intent GTS_PDFA1")
        return None
    profiles = {i["/DestOutputProfile"].objgen for i in intents if "/DestOutputProfile" in i}
    if len(profiles) != 1 or any("/DestOutputProfile" not in i for i in intents):
        problems.append("6.2.3: output intent thiếu hồ sơ màu ICC hoặc có nhiều hồ sơ khác nhau")
        return None
    profile = intents[0]["/DestOutputProfile"]
    data = profile.read_bytes()
    if len(data) < 128 or data[36:40] != b"acsp" or data[8] > 4:
        problems.append("6.2.3: hồ sơ màu ICC của output intent không hợp lệ")
    components = int(profile.get("/N", 0))
    return {3: "RGB", 4: "CMYK"}.get(components)


def _header(pdf: bytes, problems: list[str]) -> None:
    if not re.match(rb"%PDF-1\.[0-7]\r?\n?", pdf[:10]):
        problems.append("6.1.2: đầu tệp không phải %PDF-1.n")
    second = pdf.split(b"\n", 2)[1] if pdf.count(b"\n") >= 2 else b""
    if not (second.startswith(b"%") and sum(byte > 127 for byte in second[1:5]) == 4):
        problems.append("6.1.2: dòng thứ hai không là chú thích nhị phân (4 byte > 127)")


def _resources(page):
    """The page's resources, or the nearest parent's in the page tree (PDF 32000 7.7.3.4: inherited)."""
    node, depth = page.obj, 0
    while node is not None and depth < 64:
        if "/Resources" in node:
            return node["/Resources"]
        node, depth = node.get("/Parent"), depth + 1
    return None


def pdfa_problems(pdf: bytes) -> list[str]:
    """Everything found against PDF/A-2b in ``pdf`` (empty: nothing found); Vietnamese, clause first."""
    problems: list[str] = []
    _header(pdf, problems)
    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as error:
        return problems + [f"không đọc được tệp PDF ({error})"]
    with document:
        if document.is_encrypted:
            problems.append("6.1.3: tệp được mã hóa")
        if "/ID" not in document.trailer:
            problems.append("6.1.3: phần trailer thiếu ID")
        problems += [f"qpdf: {message}" for message in document.check_pdf_syntax()]
        _metadata(document, problems)
        walk = _Walk(_output_family(document, problems))
        root = document.Root
        if "/AA" in root:
            walk.add("6.5.2: Catalog có hành động bổ sung (AA)")
        if "/OpenAction" in root:
            walk.action(root["/OpenAction"], "Catalog (OpenAction)")
        names = root.get("/Names") or {}
        if "/JavaScript" in names:
            walk.add("6.5.1: tệp chứa JavaScript")
        if "/EmbeddedFiles" in names:
            walk.add("6.8: tệp có tệp đính kèm nhúng")
        form = root.get("/AcroForm")
        if form is not None:
            if bool(form.get("/NeedAppearances", False)):
                walk.add("6.4.1: AcroForm đặt NeedAppearances true")
            if "/XFA" in form:
                walk.add("6.4.2: tệp có biểu mẫu XFA")
        for number, page in enumerate(document.pages, start=1):
            where = f"trang {number}"
            if "/AA" in page.obj:
                walk.add(f"6.5.2: {where} có hành động bổ sung (AA)")
            walk.resources(_resources(page), where)
            walk.content(page, where)
            for annotation in page.obj.get("/Annots", ()):
                walk.annotation(annotation, where)
        problems += walk.problems
    return problems
