"""The error answers that no single route writes, added to the OpenAPI document where they can happen.

Some errors come from the application, not from a route: the body limit (413, ``bot.body_limit``), a body
that is not JSON or not a form (400) and the validation handler's own shape (422, ``bot.main``), and the
credential checks of ``bot.security`` (401, 403). Each is documented here from what the route really has
(a body, parameters, a credential dependency), so a new route cannot forget them and an editor's route is
documented like any other. On the resident's routes every error body also carries the crisis contacts
(``bot.crisis_notice``). What a route itself raises (404, 409, 429, 503) stays in that route's
``responses=``; a route's own declaration always wins over the ones added here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.schema import schema as pydantic_schema

from bot.crisis_notice import RESIDENT_PATHS
from bot.schemas import ErrorResponse, ResidentError, ResidentValidationError, ValidationErrorResponse
from bot.security import current_worker, require_action_service, require_admin, require_editor

CREDENTIAL_CHECKS: frozenset[Callable[..., Any]] = frozenset(
    {current_worker, require_admin, require_editor, require_action_service}
)
REF = "#/components/schemas/"
FASTAPI_DEFAULT_422 = f"{REF}HTTPValidationError"


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def _has_parameters(dependant: Dependant) -> bool:
    flat = get_flat_dependant(dependant)
    return bool(
        flat.path_params or flat.query_params or flat.header_params or flat.cookie_params or flat.body_params
    )


def shared_errors(route: APIRoute) -> dict[int, tuple[type[BaseModel], str]]:
    """Status code -> (body model, description) of the errors this route can give without raising them."""
    resident = route.path_format.startswith(RESIDENT_PATHS)
    error = ResidentError if resident else ErrorResponse
    invalid = ResidentValidationError if resident else ValidationErrorResponse
    errors: dict[int, tuple[type[BaseModel], str]] = {}
    if route.body_field is not None:
        errors[400] = (error, "the body is not valid JSON (or, for a form, cannot be parsed)")
        errors[413] = (error, "the body is larger than the gateway accepts (64 kB)")
    if _has_parameters(route.dependant):
        errors[422] = (invalid, "a parameter or a field of the body is invalid, by field")
    if CREDENTIAL_CHECKS.intersection(_calls(route.dependant)):
        errors[401] = (ErrorResponse, "no credential, or an invalid or expired one")
        errors[403] = (ErrorResponse, "a valid credential whose role or account does not allow this")
    return errors


def _response(model: type[BaseModel], description: str) -> dict[str, Any]:
    schema = {"$ref": REF + model.__name__}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_shared_errors(document: dict[str, Any], routes: list[Any]) -> None:
    used: set[type[BaseModel]] = set()
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods:
            operation = document["paths"][route.path_format][method.lower()]
            responses = operation.setdefault("responses", {})
            for status, (model, description) in shared_errors(route).items():
                declared = responses.get(str(status))
                if declared is not None and FASTAPI_DEFAULT_422 not in str(declared):
                    continue  # the route's own declaration
                responses[str(status)] = _response(model, description)
                used.add(model)
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in pydantic_schema(list(used), ref_prefix=REF)["definitions"].items():
        components.setdefault(name, definition)
    if FASTAPI_DEFAULT_422 not in str(document["paths"]):
        # FastAPI's own 422 shape is never sent (bot.main has its own handler): not left in the document.
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)


def document_shared_errors(app: FastAPI) -> None:
    """Makes ``app.openapi()`` (and /openapi.json) include the shared errors."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_shared_errors(build(), app.routes)  # build() stores the document in app.openapi_schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
