"""Screening: a name against the lists in force, each match with its explanation; the
versions of each list and what changed between two of them."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response

from armsgate.access.policy import Permission as P
from armsgate.api.services import services
from armsgate.errors import InputError
from armsgate.screening.matcher import NameQuery
from armsgate.web.access import HtmlRoute, page
from armsgate.web.forms import Form
from armsgate.web.render import render

router = APIRouter(route_class=HtmlRoute)
SCHEMAS = (("", "any"), ("person", "person"), ("organisation", "organisation"))


@page(router, "GET", "/screening", P.SCREENING_SEARCH)
def screening_page(request: Request) -> Response:
    """Search a name: the entries in force that match, each explained feature by feature."""
    form = Form.of(request.query_params, {"name", "country", "schema"})
    name, country, schema = form.get("name"), form.get("country").upper(), form.get("schema")
    if len(name) > 300:
        form.add("name", "at most 300 characters")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        form.add("country", "a country's two-letter code (ISO 3166-1), e.g. RS")
    if schema not in dict(SCHEMAS):
        form.add("schema", "person or organisation")
    if "name" in request.query_params and not name:
        form.add("name", "give a name")
    matches = []
    if name and form.ok:
        query = NameQuery(name, schema=schema or None, country=country or None)
        matches = services(request).authority.screen(query)
    return render(request, "screening.html", status=200 if form.ok else 422,
                  title="Screening", form=form, matches=matches, searched=bool(name),
                  schemas=SCHEMAS)


@page(router, "GET", "/screening/lists", P.SCREENING_SEARCH)
def lists_page(request: Request) -> Response:
    """The versions of every list; with `list`, `from` and `to`, what changed between two."""
    authority = services(request).authority
    form = Form.of(request.query_params, {"list", "from", "to"})
    versions = authority.list_versions()
    diff = None
    if form.get("list"):
        numbers = {}
        for key in ("from", "to"):
            text = form.get(key)
            if not text.isdigit() or int(text) >= 2**31:
                form.add(key, "a version number")
            else:
                numbers[key] = int(text)
        if form.ok:
            try:
                diff = authority.list_diff(form.get("list"), numbers["from"], numbers["to"])
            except InputError as exc:
                form.problem(exc)
    return render(request, "lists.html", status=200 if form.ok else 422, title="List versions",
                  form=form, versions=versions, diff=diff,
                  names=sorted({v["list"] for v in versions}))
