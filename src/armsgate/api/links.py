"""OpenAPI links: how one operation's answer names the record that others act on.

A case submitted (`POST /api/cases`, a draft submitted, an appeal) is read, assessed,
given opinions, questioned, answered, amended, withdrawn, refused or decided, appealed and
resolved by its id (`$response.body#/application`), and so is the case that any of these
answers about; a listed case by `items/0/id`; a licence issued by a decision is printed
by its id (the application's); a draft is read, changed, deleted and submitted by its
`id`; an order declared is lifted by the id it was declared with. Clients and generators
read them from the document: schemathesis's stateful tests chain calls along them.

`install(app)` adds them to the document that `app.openapi()` builds (and serves at
`/openapi.json`); `add_links(document)` does it to a document already built. Both are
idempotent. A link to an operation the document does not have is left out, so the table
can name operations before they exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

CASE_ID = "$response.body#/application"
PATH_CASE = "$request.path.app_id"
# what is done to a case by its id: link name -> operationId
ON_CASE = {"GetCase": "get_case", "AssessCase": "assess_case", "GiveOpinion": "give_opinion",
           "DecideCase": "decide_case", "RefuseCase": "refuse_case",
           "AskExporter": "ask_exporter", "AnswerQuestion": "answer_question",
           "WithdrawCase": "withdraw_case", "AppealCase": "appeal_case"}
ON_DRAFT = {"GetDraft": "get_draft", "UpdateDraft": "update_draft",
            "DeleteDraft": "delete_draft", "SubmitDraft": "submit_draft"}


def _case_links(app_id: str) -> dict[str, dict[str, Any]]:
    """What can be done to a case whose id the runtime expression `app_id` gives."""
    links: dict[str, dict[str, Any]] = {
        name: {"operationId": op, "parameters": {"app_id": app_id}}
        for name, op in ON_CASE.items()}
    links["AmendCase"] = {"operationId": "amend_case", "parameters": {"app_id": app_id},
                          "requestBody": {"id": app_id}}
    links["ResolveCase"] = {"operationId": "resolve_case",
                            "requestBody": {"application": app_id}}
    return links


def _draft_links(draft_id: str) -> dict[str, dict[str, Any]]:
    return {name: {"operationId": op, "parameters": {"draft_id": draft_id}}
            for name, op in ON_DRAFT.items()}


def _pdf(licence_id: str) -> dict[str, Any]:
    return {"operationId": "licence_pdf", "parameters": {"licence_id": licence_id}}


# operationId -> response status -> links of that answer
LINKS: dict[str, dict[str, dict[str, dict[str, Any]]]] = {
    "submit_case": {"201": _case_links(CASE_ID)},
    "submit_draft": {"201": _case_links(CASE_ID)},
    "appeal_case": {"201": _case_links(CASE_ID)},  # the new case
    "list_cases": {"200": _case_links("$response.body#/items/0/id")},
    "get_case": {"200": {**_case_links(PATH_CASE),
                         "LicencePdf": _pdf("$response.body#/licence/id")}},
    "assess_case": {"200": _case_links(CASE_ID)},
    "give_opinion": {"204": _case_links(PATH_CASE)},
    "decide_case": {"200": {**_case_links(CASE_ID), "LicencePdf": _pdf(CASE_ID)}},
    "resolve_case": {"200": _case_links("$request.body#/application")},
    **{op: {"200": _case_links(CASE_ID)} for op in (
        "refuse_case", "ask_exporter", "answer_question", "withdraw_case", "amend_case")},
    "create_draft": {"201": _draft_links("$response.body#/id")},
    "update_draft": {"200": _draft_links("$response.body#/id")},
    "declare_suspension": {"200": {"LiftSuspension": {
        "operationId": "lift_suspension", "parameters": {"order_id": "$request.body#/id"}}}},
}


def add_links(document: dict[str, Any]) -> dict[str, Any]:
    """Add `LINKS` to the responses of an OpenAPI document (in place, and returned)."""
    operations = {op["operationId"]: op for methods in document.get("paths", {}).values()
                  for op in methods.values() if isinstance(op, dict) and "operationId" in op}
    for source, by_status in LINKS.items():
        if source not in operations:
            continue
        responses = operations[source].get("responses", {})
        for status, links in by_status.items():
            if status not in responses:
                continue
            kept = {name: link for name, link in links.items()
                    if link["operationId"] in operations}
            if kept:
                responses[status].setdefault("links", {}).update(kept)
    return document


def install(app: FastAPI) -> None:
    """Serve the links in `app`'s OpenAPI document (`/openapi.json`)."""
    if getattr(app.state, "openapi_links", False):
        return
    build = app.openapi

    def openapi() -> dict[str, Any]:
        return add_links(build())  # FastAPI caches the document; adding again changes nothing

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.openapi_links = True
