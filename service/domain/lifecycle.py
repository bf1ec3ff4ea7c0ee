"""The lifecycle of a document, as one explicit state machine (pure: no database, no Flask).

dự thảo → trình duyệt (the drafter submits to the approving leader, with a comment) → đã duyệt or
trả lại (with the reason; edited, then submitted again) → đã ban hành (number and date; DOCX, PDF and
HTML frozen) → đã ký (every signature of the signature block) → đã đóng dấu số (the agency's
signature) → đã phát hành (sent to its Nơi nhận). An issued document may be thu hồi (withdrawn, with
the reason), replaced (thay thế) or corrected (đính chính) by a new version that cites it; voiding
its number returns an unsigned one to draft. Each kind declares which steps apply (``STEPS``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

DRAFT, SUBMITTED, RETURNED, APPROVED = "du-thao", "trinh-duyet", "tra-lai", "da-duyet"
ISSUED, SIGNED, SEALED, PUBLISHED, WITHDRAWN = "da-ban-hanh", "da-ky", "da-dong-dau", "da-phat-hanh", "thu-hoi"
STATES = {DRAFT: "Dự thảo", SUBMITTED: "Chờ lãnh đạo duyệt", RETURNED: "Bị trả lại", APPROVED: "Đã duyệt",
          ISSUED: "Đã ban hành", SIGNED: "Đã ký", SEALED: "Đã đóng dấu số", PUBLISHED: "Đã phát hành",
          WITHDRAWN: "Đã thu hồi"}
#: States in which the document has an official number and frozen files.
OFFICIAL = {ISSUED, SIGNED, SEALED, PUBLISHED}
#: States in which its data may still be edited.
EDITABLE = {DRAFT, RETURNED}

from service.signing.layout import LEADER_FIELD, LEFT_FIELD  # noqa: E402  (the fields the PDF carries)


@dataclass(frozen=True)
class Steps:
    """What a kind goes through. ``unit_document``: the unit drafts, approves and issues it itself
    (its submission is the issue, with its own number)."""
    approval: bool = True
    drafters: frozenset[str] = frozenset({"admin"})
    #: Who gives the number: the văn thư, never the drafter (walk U24: the roles are kept apart).
    issuers: frozenset[str] = frozenset({"vanthu"})
    #: Signature fields of the signature block, in signing order (the seal is separate).
    signatures: tuple[str, ...] = (LEADER_FIELD,)
    seal: bool = True
    publish: bool = True
    unit_document: bool = False


OFFICE = Steps()
UNIT = Steps(approval=False, drafters=frozenset({"unit", "admin"}), issuers=frozenset({"unit", "admin"}), publish=False,
             unit_document=True)
#: The council's minutes: the secretary and the chair sign, no seal; then sent to the members (walk U5).
MINUTES = Steps(drafters=frozenset({"admin", "secretariat"}), signatures=(LEFT_FIELD, LEADER_FIELD), seal=False)
STEPS: dict[str, Steps | None] = {
    "bao-cao-tu-danh-gia": UNIT, "bao-cao-giai-trinh": UNIT, "bien-ban": MINUTES, "phieu-khao-sat": None,
}


def steps_of(kind: str) -> Steps | None:
    """The steps of a kind (None: a form, never issued)."""
    return STEPS.get(kind, OFFICE)


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    sources: frozenset[str]
    target: str | None          # None: decided by the step (signing, replacing)
    roles: frozenset[str]
    needs_reason: bool = False
    irreversible: bool = False


ACTIONS = {a.key: a for a in [
    Action("trinh-duyet", "Trình lãnh đạo duyệt", frozenset({DRAFT, RETURNED}), SUBMITTED, frozenset()),
    Action("duyet", "Duyệt", frozenset({SUBMITTED}), APPROVED, frozenset({"leader"})),
    Action("tra-lai", "Trả lại để sửa", frozenset({SUBMITTED}), RETURNED, frozenset({"leader"}), needs_reason=True),
    Action("rut-lai", "Rút lại để sửa", frozenset({SUBMITTED, APPROVED}), DRAFT, frozenset({"admin"})),
    Action("ban-hanh", "Ban hành (cấp số)", frozenset({APPROVED}), ISSUED, frozenset(), irreversible=True),
    Action("phat-hanh", "Phát hành tới Nơi nhận", frozenset({SIGNED, SEALED}), PUBLISHED, frozenset({"vanthu", "admin"}),
           irreversible=True),
    Action("thu-hoi", "Thu hồi văn bản", frozenset(OFFICIAL), WITHDRAWN, frozenset({"vanthu", "admin"}),
           needs_reason=True, irreversible=True),
    Action("thay-the", "Soạn văn bản thay thế", frozenset({SIGNED, SEALED, PUBLISHED, WITHDRAWN}), DRAFT,
           frozenset({"admin"}), needs_reason=True),
    Action("dinh-chinh", "Soạn văn bản đính chính", frozenset({SIGNED, SEALED, PUBLISHED}), DRAFT,
           frozenset({"admin"}), needs_reason=True),
]}


def roles_for(action: Action, steps: Steps) -> frozenset[str]:
    if action.key == "trinh-duyet":
        return steps.drafters
    if action.key == "ban-hanh":
        return steps.issuers
    return action.roles


#: What a role's home page lists as waiting for it: (state, what the role does next), per role.
WAITING_FOR = {
    "leader": ((SUBMITTED, "chờ lãnh đạo duyệt"), (ISSUED, "đã ban hành, chờ lãnh đạo ký số")),
    "vanthu": ((APPROVED, "đã duyệt, chờ cấp số ban hành"), (SIGNED, "đã ký, chờ đóng dấu số"),
               (SEALED, "chờ phát hành tới Nơi nhận")),
    "admin": ((RETURNED, "bị lãnh đạo trả lại, cần sửa và trình lại"),),
    "secretariat": ((RETURNED, "bị lãnh đạo trả lại, cần sửa và trình lại"),),
}


def waiting_for(role: str, states: dict[tuple[str, str], str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(what to do, [(kind, unit or '')]) of the documents waiting for ``role``'s step, from
    (kind, unit) → state; only the steps that have documents. A unit's own reports never wait for
    the office (the unit issues them)."""
    out = []
    for state, label in WAITING_FOR.get(role, ()):
        keys = sorted(key for key, value in states.items() if _waits(key[0], value, state, role))
        if keys:
            out.append((label, keys))
    return out


def _waits(kind: str, value: str, state: str, role: str) -> bool:
    """Whether a document of ``kind`` in ``value`` waits for ``role``'s step listed under ``state``: a
    signed document without a seal (the minutes) waits to be sent, not sealed."""
    steps = steps_of(kind)
    if not steps or steps.unit_document or (role == "secretariat" and role not in steps.drafters):
        return False
    if state == SEALED:                 # 'chờ phát hành': sealed, or signed when there is no seal
        return steps.publish and (value == SEALED or (value == SIGNED and not steps.seal))
    if state == SIGNED:
        return value == SIGNED and steps.seal
    return value == state


def available_actions(steps: Steps | None, state: str, role: str) -> list[Action]:
    """The actions ``role`` may take on a document in ``state`` (signing is offered separately)."""
    if steps is None:
        return []
    out = []
    for action in ACTIONS.values():
        if state not in action.sources or role not in roles_for(action, steps):
            continue
        if action.key in ("trinh-duyet", "duyet", "tra-lai", "rut-lai") and not steps.approval:
            continue
        if action.key == "phat-hanh" and (not steps.publish or (steps.seal and state != SEALED)):
            continue
        out.append(action)
    if not steps.approval and state in EDITABLE and role in steps.issuers:
        out.append(ACTIONS["ban-hanh"])
    return out


class IllegalTransition(ValueError):
    """The action does not apply to the document in its state, for this role (Vietnamese reason)."""


def check_transition(steps: Steps | None, state: str, action_key: str, role: str, reason: str | None = None) -> str:
    """The state after ``action_key``; IllegalTransition with the reason otherwise."""
    if steps is None:
        raise IllegalTransition("loại văn bản này là biểu mẫu, không ban hành")
    action = ACTIONS.get(action_key)
    if action is None:
        raise IllegalTransition(f"không có thao tác {action_key!r}")
    if action not in available_actions(steps, state, role):
        who = "" if role in roles_for(action, steps) else " (vai trò của bạn không làm bước này)"
        raise IllegalTransition(f"không thể «{action.label.lower()}» khi văn bản đang ở bước «{STATES.get(state, state)}»{who}")
    if action.needs_reason and not (reason or "").strip():
        raise IllegalTransition(f"«{action.label}» phải ghi lý do")
    return action.target


def state_after_signature(steps: Steps, signed_fields: set[str], has_seal: bool) -> str:
    """Đã ký once every signature of the block is there; đã đóng dấu số once the seal is too."""
    if not all(f in signed_fields for f in steps.signatures):
        return ISSUED
    return SEALED if steps.seal and has_seal else SIGNED


@dataclass
class Readiness:
    """Why a document cannot be issued now (Vietnamese, one reason per line; empty: ready)."""
    blocking: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.blocking
