"""Errors as RFC 9457 problem details (``application/problem+json``).

Validation errors name the parameter that was wrong and where it was (query, path,
header), so a caller can fix the request without reading the source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

MEDIA_TYPE = "application/problem+json"


class InvalidParam(BaseModel):
    name: str = Field(examples=["limit"])
    location: str = Field(examples=["query"])
    reason: str = Field(examples=["Input should be less than or equal to 500"])


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(None, examples=["no device 'pgd-q9-rt1'; closest: pgd-q1-rt1"])
    instance: str | None = Field(None, examples=["/api/v1/devices/pgd-q9-rt1"])
    invalid_params: list[InvalidParam] | None = None


class ProblemResponse(JSONResponse):
    media_type = MEDIA_TYPE


def problem(
    status: int,
    detail: str | None = None,
    *,
    instance: str | None = None,
    invalid: Sequence[InvalidParam] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        invalid_params=list(invalid) if invalid else None,
    )
    return ProblemResponse(
        body.model_dump(exclude_none=True), status_code=status, headers=dict(headers or {})
    )


class InvalidParameter(Exception):
    """A parameter that passed type checks but names something that does not exist."""

    def __init__(self, name: str, reason: str, location: str = "query") -> None:
        super().__init__(reason)
        self.param = InvalidParam(name=name, location=location, reason=reason)


def _validation_params(errors: Sequence[Any]) -> list[InvalidParam]:
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())]
        location = loc[0] if loc else "request"
        name = ".".join(loc[1:]) or location
        out.append(InvalidParam(name=name, location=location, reason=str(e.get("msg", ""))))
    return out


def install(app: FastAPI) -> None:
    """Route every error the app raises through :func:`problem`."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 304:
            return Response(status_code=304, headers=exc.headers)
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem(exc.status_code, detail, instance=request.url.path, headers=exc.headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        params = _validation_params(exc.errors())
        names = ", ".join(p.name for p in params)
        return problem(
            422, f"invalid parameter(s): {names}", instance=request.url.path, invalid=params
        )

    async def invalid_parameter(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InvalidParameter)
        return problem(
            422,
            f"invalid parameter {exc.param.name}: {exc.param.reason}",
            instance=request.url.path,
            invalid=[exc.param],
        )

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(InvalidParameter, invalid_parameter)


# For ``responses=`` on routes: the shapes of the errors each may return.
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {
            "model": Problem,
            "description": HTTPStatus(s).phrase,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }
