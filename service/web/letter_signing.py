"""Signing and sealing the per-unit letters as a list (walk U8): the leader chooses the letters, confirms
once and opens the .p12 once (or gives the remote-signing PIN once: one authorisation at the service for
all of them); each letter gets its own PAdES signature and is accepted by the same checks as a single
one (``accept_signed_pdf``). A letter that cannot be signed keeps its state and says why on its row.
The page sends the chosen letters a few at a time, so a progress bar moves (letters.html)."""
from __future__ import annotations

from flask import g, request

from service.signing.appearance import AppearanceError
from service.signing.csc import sign_many_remote
from service.signing.profile import profile_from_environment
from service.signing.sign import Placement, agency_placement, leader_placement, sign_placed
from service.signing.signers import SigningError, load_pkcs12
from service.store.issuing import issued_version
from service.store.signatures import accept_signed_pdf, final_pdf

from .security import engine
from .signing import named_signer, remote_account, trust_roots, typed_pin, uploaded

#: The signing steps of the list page, by the role that takes them.
SIGNING_ACTIONS = {"ky-so": ("leader", "Ký số"), "dong-dau": ("vanthu", "Đóng dấu số (chữ ký số của cơ quan)")}
#: A signature image or a seal: a small PNG.
MAX_IMAGE = 2 * 2**20
MAX_P12 = 64 * 2**10


def signing_actions(role: str) -> list[str]:
    return [key for key, (who, _) in SIGNING_ACTIONS.items() if who == role]


def _placement(action: str, pdf: bytes, image: bytes) -> Placement:
    return agency_placement(pdf, image) if action == "dong-dau" else leader_placement(pdf, image)


def _version_for(state):
    """The letter's version in force, once it is issued (the signing step itself refuses a second signature)."""
    if state is None or not state.official or not state.current_version_id:
        raise SigningError("văn bản chưa được ban hành (chưa có số): ban hành trước rồi ký")
    return issued_version(engine(), state.current_version_id)


def _mine(action: str, version) -> None:
    if action == "ky-so" and not named_signer(version):
        raise SigningError("văn bản này không ghi tên bạn ở ô ký")


def sign_letters(campaign, kind: str, chosen: list[str], states: dict, action: str) -> list[tuple[str, bool, str]]:
    """(unit name, done, what happened) for each chosen unit's letter; SigningError when the form
    lacks what every signature needs (then nothing is signed)."""
    if request.form.get("xac-nhan-ky") != "1":
        raise SigningError("chưa xác nhận: đánh dấu ô «Tôi xác nhận ký số các văn bản đã chọn»")
    remote = request.form.get("cach") == "tu-xa"
    image = uploaded("anh", "ảnh con dấu (PNG)" if action == "dong-dau" else "ảnh chữ ký (PNG)", MAX_IMAGE)
    roots = trust_roots()
    profile = profile_from_environment(roots)
    if remote:
        credential, pin = remote_account(), typed_pin()
    else:
        signer = load_pkcs12(uploaded("p12", "tệp chứng thư số (.p12)", MAX_P12), request.form.get("mat_khau", ""))
    outcomes: dict[str, tuple[bool, str]] = {}
    ready: list[tuple[str, object, bytes, Placement]] = []
    for unit_id in chosen:
        try:
            version = _version_for(states.get((kind, unit_id)))
            _mine(action, version)
            pdf = final_pdf(version)
            ready.append((unit_id, version, pdf, _placement(action, pdf, image)))
        except (SigningError, AppearanceError) as error:
            outcomes[unit_id] = (False, str(error))
    if remote:
        signed = sign_many_remote(credential, pin, [(pdf, place) for _, _, pdf, place in ready], profile=profile)
    else:
        signed = []
        for _, _, pdf, place in ready:
            try:
                signed.append(sign_placed(pdf, signer, place, profile=profile))
            except SigningError as error:
                signed.append(error)
    for (unit_id, version, _, _), result in zip(ready, signed):
        if isinstance(result, Exception):
            outcomes[unit_id] = (False, str(result))
            continue
        try:
            accept_signed_pdf(engine(), version.id, result, g.user, roots)
        except SigningError as error:
            outcomes[unit_id] = (False, str(error))
        else:
            outcomes[unit_id] = (True, f"đã {'đóng dấu số' if action == 'dong-dau' else 'ký số'} văn bản số "
                                       + version.number_line.removeprefix("Số: "))
    return [(campaign.unit(unit_id).name, *outcomes[unit_id]) for unit_id in chosen]
