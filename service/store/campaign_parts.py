"""A campaign.json cut into its core and one part per unit, and put back together exactly.

The parts are the lists that grow with the units — ``assessments`` and ``survey_answers`` — each
entry kept with its place in its list, so that composing the parts gives back the same campaign.json,
key for key and entry for entry (``campaign.json`` stays the import and export format). A unit's
entry that is new gets a place after every existing one, in the order of the units.
"""
from __future__ import annotations

import hashlib
import json

from data_models import Campaign, parse_campaign
from data_models.scores import Assessment, SurveyAnswers
from service.kept import Kept

#: The lists of campaign.json kept per unit.
PART_KEYS = ("assessments", "survey_answers")
#: Places from here on are for entries a unit added on its own (after every renumbered one).
NEW_PLACES = 10**6


def text_of(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def empty_part() -> dict:
    return {"assessment": None, "assessment_at": None, "survey": []}


def split(data: dict) -> tuple[dict, dict[str, dict]]:
    """(core, unit id → part) of a campaign.json dict; places are the entries' indexes."""
    core = {key: ([] if key in PART_KEYS else value) for key, value in data.items()}
    parts: dict[str, dict] = {}
    for place, entry in enumerate(data.get("assessments", [])):
        part = parts.setdefault(entry["unit"], empty_part())
        part["assessment"], part["assessment_at"] = entry, place
    for place, entry in enumerate(data.get("survey_answers", [])):
        parts.setdefault(entry["unit"], empty_part())["survey"].append([place, entry])
    return core, parts


def in_places(parts) -> dict[str, list]:
    """{'assessments': […], 'survey_answers': […]}: the entries of ``parts`` (stored parts, or parts
    whose entries are already validated models) in their places in campaign.json."""
    parts = list(parts)
    assessments = sorted(((p["assessment_at"], p["assessment"]) for p in parts if p["assessment"] is not None),
                         key=lambda pair: pair[0])
    survey = sorted(((place, entry) for p in parts for place, entry in p["survey"]), key=lambda pair: pair[0])
    return {"assessments": [entry for _, entry in assessments], "survey_answers": [entry for _, entry in survey]}


def compose(core: dict, parts) -> dict:
    """The campaign.json dict of a core and its parts (all of them, or the few an edit needs), keys in
    the model's order as ``campaign_data`` writes them."""
    lists = in_places(parts)
    data = {}
    for key in Campaign.model_fields:
        if key in PART_KEYS:
            if key in core or lists[key]:
                data[key] = lists[key]
        elif key in core:
            data[key] = core[key]
    return data


def unit_view(part: dict) -> dict:
    """What an edit of one unit sees and changes: that unit's assessments and survey answers, in the
    shape of campaign.json (the core is given validated, not as data to change)."""
    return compose({key: [] for key in PART_KEYS}, [part])


def unit_part(data: dict, unit_id: str, before: dict | None, unit_index: int) -> dict:
    """The part of ``unit_id`` in a (validated) campaign.json dict that holds only its entries, placed
    where its entries were before (``before``: its stored part) or, for new ones, after all others."""
    before = before or empty_part()
    _, parts = split(data)
    part = parts.get(unit_id, empty_part())
    if part["assessment"] is not None:
        part["assessment_at"] = before["assessment_at"] if before["assessment_at"] is not None \
            else NEW_PLACES + unit_index * 1000
    old_places = {entry.get("respondent_group"): place for place, entry in before["survey"]}
    part["survey"] = [[old_places.get(entry.get("respondent_group"), NEW_PLACES + unit_index * 1000 + 1 + k), entry]
                      for k, (_, entry) in enumerate(part["survey"])]
    return part


def campaign_digest(core_sha256: str, part_hashes: list[tuple[str, str]]) -> str:
    """The whole campaign's content hash from its core's and its parts' (readers' cache key, ETag)."""
    return digest(core_sha256 + "".join(f"|{unit}:{sha}" for unit, sha in sorted(part_hashes)))


#: Validated cores (a province has one or two campaigns open at a time) and units' parts (the
#: current one of each unit: 3 321 xã and the sở of 34 provinces fit), and whole campaigns validated
#: by the store's writes (an issue validates the campaign it read, then the campaign with the number).
_CORES, _PARTS, _WHOLE = Kept(16), Kept(4096), Kept(8)


def validated_campaign(data: dict, source: str = "") -> Campaign:
    """``parse_campaign(data)`` once per content in each process (the models are frozen and the checks
    know no clock, so equal JSON validates to an equal campaign); InvalidCampaign is never kept."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=repr)
    return _WHOLE.get(digest(text), lambda: parse_campaign(data, source))


def validated_core(core_sha256: str, load_core, source: str = "") -> Campaign:
    """The core validated as a campaign (no unit's entries), once per content hash in each process:
    what every unit's save is checked against. ``load_core()`` gives the core's dict, read only when
    this hash is not kept yet."""
    return _CORES.get(core_sha256, lambda: parse_campaign(compose(load_core(), []), source))


def validated_part(campaign_id: str, unit_id: str, sha256: str, load_part) -> dict:
    """A stored part with its entries validated (the part's shape, models in place of dicts), once
    per content hash in each process (a stored part was checked with its core when it was saved)."""
    def make() -> dict:
        part = load_part()
        return {"assessment": Assessment.model_validate(part["assessment"]) if part["assessment"] is not None else None,
                "assessment_at": part["assessment_at"],
                "survey": [(place, SurveyAnswers.model_validate(entry)) for place, entry in part["survey"]]}
    return _PARTS.latest((campaign_id, unit_id), sha256, make)


def assembled(core: Campaign, parts: list[dict]) -> Campaign:
    """The whole campaign from its validated core and its units' validated parts, entries in their
    places; a list the core did not set and no unit fills stays unset (as campaign.json had it)."""
    lists = in_places(parts)
    return core.model_copy(update={key: entries for key, entries in lists.items()
                                   if entries or key in core.model_fields_set})
