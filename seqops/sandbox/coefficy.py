"""Coefficy Campaign API emulator: `GET /v1/sequence/action` (sequence actions, read-only).

Mounted by the sandbox under `/coefficy/v1`, with its own `x-access-token` auth (never the
Outreach bearer token, never the Outreach rate limiter). Actions live in one SQLite table of the
sandbox store: the filterable values in indexed columns, the whole action as a JSON document.

Query forms, as Coefficy's PHP backend reads them: `idSequence=3`, `idSequence[]=3&idSequence[]=4`,
repeated `idSequence=3&idSequence=4`, and `idSequence=3,4`. The answer is always the envelope
`{success, parameters, result}`; errors are `{success: false, message}` with 400 or 401.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from seqops.manifest.models.automation_rule import (
    AutomationRuleSpec,
    Campaign,
    OnFailure,
    OnNoSuccess,
    OnSuccess,
    Opportunity,
    PersonaCampaign,
    Relaunch,
    StartSequence,
    Supply,
    Unsubscribe,
)
from seqops.providers.coefficy.mapping import FAMILIES, FAMILY_PATHS, Family, fields_from_spec
from seqops.sandbox.store import Store


class HoldsStore(Protocol):
    """The sandbox, as this module needs it: its store (the Coefficy token read if set)."""

    store: Store


DEFAULT_TOKEN = "coefficy-token"
MIN_POLLING_MINUTES = 15
TABLE = "coefficy_sequence_actions"
OUTCOMES = ("started", "succeeded", "failed", "ended", "stopped")

# Filter name -> (column, cast). Order is the seed's `parameters` order.
FILTERS: dict[str, tuple[str, type]] = {
    "idSequenceAction": ("id", int),
    "idSequence": ("id_sequence", int),
    "idNewsletter": ("id_newsletter", int),
    "idSequenceType": ("id_sequence_type", int),
    "idCrmVisitCard": ("id_crm_visit_card", int),
    "email": ("email", str),
    "idCompany": ("id_company", int),
    "siren": ("siren", str),
    "idUserResponsable": ("id_user_responsable", int),
    "idCampaign": ("id_campaign", int),
}
COLUMNS = [column for column, _ in FILTERS.values() if column != "id"]


class BadRequest(Exception):
    """A query the API rejects with 400; the message is the answer's `message`."""


# -- dates ------------------------------------------------------------------------------------


def format_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def minutes_ago(minutes: float) -> str:
    """A Coefficy datetime `minutes` before now (tests use it to place `successDate`)."""
    return format_date(datetime.now(UTC) - timedelta(minutes=minutes))


# -- storage ----------------------------------------------------------------------------------


def ensure_table(store: Store) -> None:
    columns = ", ".join(f"{c} {'TEXT' if c in ('email', 'siren') else 'INTEGER'}" for c in COLUMNS)
    with store.transaction() as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            f"{columns}, success_date TEXT, doc TEXT NOT NULL)"
        )
        conn.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_seq ON {TABLE} (id_sequence)")


def _row_values(action: dict[str, Any]) -> list[Any]:
    card = action.get("crmVisitCard") or {}
    values = {
        "id_sequence": action["idSequence"],
        "id_newsletter": action.get("idNewsletter"),
        "id_sequence_type": action.get("_idSequenceType"),
        "id_crm_visit_card": action.get("idCrmVisitCard"),
        "email": card.get("email"),
        "id_company": card.get("idCompany"),
        "siren": card.get("siren"),
        "id_user_responsable": action.get("idUserResponsable"),
        "id_campaign": action.get("idCampaign"),
    }
    success_date = action.get("successDate") if action.get("success") else None
    return [*(values[c] for c in COLUMNS), success_date]


def insert_actions(sandbox: HoldsStore, actions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store complete actions (as `new_action` builds them); returns them with their ids."""
    store = sandbox.store
    ensure_table(store)
    stored = []
    names = ", ".join([*COLUMNS, "success_date", "doc"])
    marks = ", ".join("?" * (len(COLUMNS) + 2))
    with store.transaction() as conn:
        for action in actions:
            cursor = conn.execute(
                f"INSERT INTO {TABLE} ({names}) VALUES ({marks})", [*_row_values(action), "{}"]
            )
            action = {**action, "idSequenceAction": cursor.lastrowid}
            conn.execute(
                f"UPDATE {TABLE} SET doc = ? WHERE id = ?", (json.dumps(action), cursor.lastrowid)
            )
            stored.append(_public(action))
    return stored


def update_action(sandbox: HoldsStore, action_id: int, **fields: Any) -> dict[str, Any]:
    """Change fields of a stored action (tests use it to make live state drift)."""
    store = sandbox.store
    with store.transaction() as conn:
        found = conn.execute(f"SELECT doc FROM {TABLE} WHERE id = ?", (action_id,)).fetchone()
        if found is None:
            raise KeyError(f"no Coefficy sequence action {action_id}")
        action = {**json.loads(found[0]), **fields}
        sets = ", ".join(f"{c} = ?" for c in [*COLUMNS, "success_date", "doc"])
        conn.execute(
            f"UPDATE {TABLE} SET {sets} WHERE id = ?",
            [*_row_values(action), json.dumps(action), action_id],
        )
    return _public(action)


def _public(action: dict[str, Any]) -> dict[str, Any]:
    """The action as the API shows it (without the sandbox's private bookkeeping)."""
    return {k: v for k, v in action.items() if not k.startswith("_")}


def select_actions(
    store: Store, filters: dict[str, Any], polling: int | None
) -> list[dict[str, Any]]:
    where, params = [], []
    for name, value in filters.items():
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        where.append(f"{FILTERS[name][0]} IN ({','.join('?' * len(values))})")
        params.extend(values)
    if polling is not None:
        where.append("success_date >= ?")
        params.append(minutes_ago(polling))
    sql = f"SELECT doc FROM {TABLE} {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id"
    with store.lock:
        rows = store.conn.execute(sql, params).fetchall()
    return [_public(json.loads(doc)) for (doc,) in rows]


# -- query parsing ----------------------------------------------------------------------------


def _raw_values(request: Request, name: str) -> list[str]:
    """`x=`, `x[]=` and PHP's indexed `x[0]=` forms, in query order."""
    pattern = re.compile(rf"^{re.escape(name)}(\[\d*\])?$")
    return [value for key, value in request.query_params.multi_items() if pattern.match(key)]


def _is_list_form(request: Request, name: str, raw: list[str]) -> bool:
    bracketed = any(key.startswith(f"{name}[") for key in request.query_params)
    return bracketed or len(raw) > 1 or (FILTERS[name][1] is int and "," in raw[0])


def parse_filter(request: Request, name: str) -> Any:
    """None when absent, a scalar for `x=1`, a list for the array forms."""
    raw = _raw_values(request, name)
    if not raw:
        return None
    cast = FILTERS[name][1]
    parts = [p.strip() for r in raw for p in (r.split(",") if cast is int else [r])]
    try:
        values = [cast(p) for p in parts]
    except ValueError:
        raise BadRequest(f"{name} must be an integer or a list of integers") from None
    return values if _is_list_form(request, name, raw) else values[0]


def parse_polling(request: Request) -> int | None:
    raw = _raw_values(request, "pollingSuccess")
    if not raw:
        return None
    if len(raw) > 1 or not raw[0].strip().isdigit():
        raise BadRequest("pollingSuccess must be a number of minutes (minimum 15)")
    minutes = int(raw[0])
    if minutes < MIN_POLLING_MINUTES:
        raise BadRequest(f"pollingSuccess must be at least {MIN_POLLING_MINUTES} minutes")
    return minutes


# -- the endpoint -----------------------------------------------------------------------------


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"success": False, "message": message, "result": None}, status_code=status)


def coefficy_routes(sandbox: HoldsStore) -> list[Route]:
    """Routes served under /coefficy/v1."""
    ensure_table(sandbox.store)

    async def sequence_actions(request: Request) -> JSONResponse:
        token = getattr(sandbox, "coefficy_token", None) or DEFAULT_TOKEN
        if request.headers.get("x-access-token") != token:
            return _error(401, "missing or invalid x-access-token")
        try:
            filters = {name: parse_filter(request, name) for name in FILTERS}
            polling = parse_polling(request)
        except BadRequest as exc:
            return _error(400, str(exc))
        result = select_actions(sandbox.store, filters, polling)
        # The seed documents the echoed pollingSuccess as bool|null.
        parameters = {**filters, "pollingSuccess": True if polling is not None else None}
        return JSONResponse({"success": True, "parameters": parameters, "result": result})

    return [Route("/sequence/action", sequence_actions, methods=["GET"])]


# -- generated data ---------------------------------------------------------------------------

FIRST_NAMES = ("Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Arthur", "Inès")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")


def _relaunch(rng: random.Random, supplies: int) -> Relaunch:
    return Relaunch(
        supplies=[
            Supply(supply=rng.randint(1, 90), tag=rng.choice([None, rng.randint(1, 9)]))
            for _ in range(supplies)
        ],
        priority=rng.randint(1, 3),
        afterDays=rng.randint(1, 10),
        user=rng.randint(1, 5),
        text=rng.choice(["Relancer par téléphone", "Envoyer la plaquette", None]),
    )


def _block(path: str, rng: random.Random, supplies: int) -> Any:
    name = path.rsplit(".", 1)[-1]
    if name.startswith("relaunch"):
        return _relaunch(rng, supplies)
    if name == "startSequence":
        return StartSequence(sequence=rng.randint(300, 399), afterDays=rng.randint(0, 7))
    if name == "campaign":
        return Campaign(campaign=rng.randint(10, 99), afterDays=rng.randint(0, 7))
    if name.startswith("campaign"):  # persona / enriched-contact campaigns
        if rng.random() < 0.5:
            return PersonaCampaign(sameCampaign=True, afterDays=rng.randint(0, 7))
        return PersonaCampaign(campaign=rng.randint(10, 99), afterDays=rng.randint(0, 7))
    if name == "opportunity":
        return Opportunity(title="Rendez-vous obtenu", deadline=30, status=2, amount=4800.0, user=1)
    if path == "onNoSuccess.unsubscribe":
        return True
    return Unsubscribe(
        linkText="Se désinscrire", text="Vous ne souhaitez plus recevoir nos emails ?"
    )


def rule_for_families(
    sequence_id: int, families: Iterable[str] = FAMILY_PATHS, supplies: int = 4, seed: int = 0
) -> AutomationRuleSpec:
    """An AutomationRuleSpec with exactly `families` on (paths like `onFailure.relaunchPersona`)."""
    unknown = set(families) - set(FAMILY_PATHS)
    if unknown:
        raise ValueError(f"unknown automation families {sorted(unknown)}; known: {FAMILY_PATHS}")
    rng = random.Random(seed)
    blocks: dict[str, dict[str, Any]] = {"onSuccess": {}, "onFailure": {}, "onNoSuccess": {}}
    unsubscribe = Unsubscribe(enabled=False)
    for path in families:
        outcome, _, name = path.rpartition(".")
        if outcome:
            blocks[outcome][name] = _block(path, rng, supplies)
        else:
            unsubscribe = _block(path, rng, supplies)
    return AutomationRuleSpec(
        sequence=sequence_id,
        onSuccess=OnSuccess(**blocks["onSuccess"]),
        onFailure=OnFailure(**blocks["onFailure"]),
        onNoSuccess=OnNoSuccess(**blocks["onNoSuccess"]),
        unsubscribe=unsubscribe,
    )


def blank_action() -> dict[str, Any]:
    """Every field of the seed's action, automations off, outcome unknown."""
    action: dict[str, Any] = {
        "idSequenceAction": None,
        "idSequence": None,
        "idCrmVisitCard": None,
        "idUserResponsable": None,
        "idCampaign": None,
        "idNewsletter": None,
        "startDate": None,
        "success": None,
        "successDate": None,
        "failure": None,
        "failureDate": None,
        "isEnded": None,
        "endDate": None,
        "userStopped": None,
        "userStoppedDate": None,
        "idUserStopped": None,
        "userStoppedFromIdSequenceAction": None,
    }
    for family in FAMILIES:
        action.update(family.write(None))
        action[family.executed_field] = None
        action[f"{family.executed_field}Date"] = None
    return action


def _executes(family: Family, outcome: str) -> bool:
    """Success automations run on success, failure ones on failure, no-success ones when the
    sequence ends without either; a failed contact is the one who used the unsubscribe link."""
    wanted = {"succeeded": "onSuccess", "failed": "onFailure", "ended": "onNoSuccess"}
    if family.outcome is None:
        return outcome == "failed"
    return family.outcome == wanted.get(outcome)


def _set_outcome(action: dict[str, Any], outcome: str, rng: random.Random) -> None:
    start = datetime.now(UTC) - timedelta(days=rng.randint(5, 40))
    action["startDate"] = format_date(start)
    if outcome == "started":
        return
    end = format_date(start + timedelta(days=rng.randint(1, 4)))
    action.update(isEnded=True, endDate=end)
    if outcome == "succeeded":
        action.update(success=True, successDate=end, failure=False)
    elif outcome == "failed":
        action.update(success=False, failure=True, failureDate=end)
    elif outcome == "stopped":
        action.update(userStopped=True, userStoppedDate=end, idUserStopped=rng.randint(1, 5))


def _execute(action: dict[str, Any], outcome: str) -> None:
    """Mark executed the automations that are on and that this outcome triggers."""
    for family in FAMILIES:
        if family.read(action) and _executes(family, outcome):
            action[family.executed_field] = True
            action[f"{family.executed_field}Date"] = action["endDate"]


def _contact(rng: random.Random, card_id: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company = rng.randint(1, 20)
    email = f"{first.lower()}.{last.lower()}.{card_id}@example.fr".replace("é", "e").replace(
        "è", "e"
    )
    return {
        "idCrmVisitCard": card_id,
        "firstName": first,
        "lastName": last,
        "email": email,
        "idCompany": company,
        "companyName": f"Société {company}",
        "siren": f"{company:09d}",
    }


def new_action(
    sequence_id: int,
    rule: AutomationRuleSpec,
    outcome: str,
    rng: random.Random,
    **fields: Any,
) -> dict[str, Any]:
    """A complete action of `sequence_id` with `rule`'s automations and `outcome`."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; known: {OUTCOMES}")
    card = _contact(rng, rng.randint(1000, 99999))
    action = {**blank_action(), **fields_from_spec(rule)}
    action.update(
        idSequence=sequence_id,
        idCrmVisitCard=card["idCrmVisitCard"],
        crmVisitCard=card,
        idUserResponsable=rng.randint(1, 5),
        idCampaign=10 + sequence_id % 7,
        idNewsletter=None,
        _idSequenceType=1,
    )
    _set_outcome(action, outcome, rng)
    _execute(action, outcome)
    created = action["startDate"]
    action.update(created=created, modified=action["endDate"] or created, **fields)
    return action


def generate_coefficy_actions(
    sandbox: HoldsStore,
    sequence_id: int,
    n: int,
    *,
    rule: AutomationRuleSpec | None = None,
    families: Iterable[str] = FAMILY_PATHS,
    supplies: int = 4,
    outcomes: Sequence[str] = ("started",),
    seed: int = 0,
    **fields: Any,
) -> list[dict[str, Any]]:
    """Store `n` actions of `sequence_id` carrying `rule` (default: `families` on, with
    `supplies` relaunch supplies each), cycling through `outcomes`; returns them as served."""
    rule = rule or rule_for_families(sequence_id, families, supplies, seed)
    rng = random.Random(f"{seed}:{sequence_id}")
    actions = [
        new_action(sequence_id, rule, outcomes[i % len(outcomes)], rng, **fields) for i in range(n)
    ]
    return insert_actions(sandbox, actions)


def seed_coefficy(sandbox: HoldsStore, demo: bool) -> None:
    """A baseline of two sequences; `demo` adds sequences with every family and every outcome."""
    ensure_table(sandbox.store)
    generate_coefficy_actions(
        sandbox,
        101,
        5,
        families=("onFailure.relaunch", "onNoSuccess.unsubscribe", "unsubscribe"),
        supplies=2,
        outcomes=OUTCOMES,
    )
    generate_coefficy_actions(
        sandbox, 102, 3, families=("onSuccess.opportunity",), outcomes=("started", "succeeded")
    )
    if not demo:
        return
    for offset, supplies in enumerate((1, 2, 3, 4)):
        generate_coefficy_actions(
            sandbox, 201 + offset, 10, supplies=supplies, outcomes=OUTCOMES, seed=offset
        )
    # A newsletter whose successes are recent, so `status --since 15m` has something to show.
    generate_coefficy_actions(
        sandbox,
        205,
        4,
        families=("onSuccess.campaign",),
        outcomes=("succeeded",),
        idNewsletter=7,
        _idSequenceType=2,
        successDate=minutes_ago(5),
    )
