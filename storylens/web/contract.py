"""What the API takes and answers, as FastAPI checks it and the OpenAPI schema lists it: the form
of an id, the error answers of each operation, and the upload form."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from starlette.datastructures import UploadFile

MAX_UPLOAD_FILES = 20


def an_id():
    """A path id: a longer one or one of other characters is 422, never a lookup."""
    return PathParam(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def wants_json(request: Request) -> bool:
    """Whether a page is asked for as its view in JSON (`?format=json`)."""
    return request.query_params.get("format") == "json"


def render(templates, request: Request, template: str, view: dict, **extra):
    """A page: its view rendered with its template and `extra` (what only drawing needs), or,
    with `?format=json`, the view itself: the same dict its /api/v1 twin returns."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder(view))
    report = bool(request.headers.get("x-storylens-report"))  # written to files by web/report.py
    return templates.TemplateResponse(request, template, {"report": report} | view | extra)


WRITER = [Depends(HTTPBearer(auto_error=False))]  # the check itself is WriteAuth, before the body


# Every error is JSON, `{"detail": ...}`, HTML pages' too.
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
ANSWERS = {
    400: "the Host header names a host this server does not serve, or a malformed request",
    401: "no `Authorization: Bearer <token>` header with the server's token",
    404: "no such id",
    413: "the request body is over the size limit",
    422: "a parameter or the body is not valid",
}
VALIDATION = {"$ref": "#/components/schemas/HTTPValidationError"}


# The upload form, as uploaded_files() reads it: 1 to MAX_UPLOAD_FILES file parts named `files`,
# and nothing else.
FILES_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "additionalProperties": False,
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_UPLOAD_FILES,
                            "items": {"type": "string", "format": "binary"},
                        }
                    },
                }
            }
        },
    }
}


async def uploaded_files(request: Request) -> list[tuple[str, bytes]]:
    """(file name, content) of each file of the upload form; 422 for any other field, a `files`
    part that is not a file, or fewer than 1 or more than MAX_UPLOAD_FILES files."""
    form = await request.form(max_files=MAX_UPLOAD_FILES + 1, max_fields=MAX_UPLOAD_FILES + 1)
    parts = form.getlist("files")
    errors = [
        {"type": "extra_forbidden", "loc": ("body", key), "msg": "unexpected form field", "input": None}
        for key in sorted(set(form.keys()) - {"files"})
    ]
    if not 1 <= len(parts) <= MAX_UPLOAD_FILES:
        message = f"between 1 and {MAX_UPLOAD_FILES} files, not {len(parts)}"
        errors.append({"type": "files", "loc": ("body", "files"), "msg": message, "input": None})
    errors += [
        {"type": "file", "loc": ("body", "files", i), "msg": "not a file", "input": None}
        for i, part in enumerate(parts)
        if not isinstance(part, UploadFile)
    ]
    if errors:
        raise RequestValidationError(errors)
    return [(part.filename or "upload", await part.read()) for part in parts]


def answers(*codes: int) -> dict:
    """The error answers an operation gives, for the OpenAPI schema (FastAPI lists 422 itself
    where it validates parameters)."""
    return {
        code: {
            "description": ANSWERS[code],
            "content": {"application/json": {"schema": VALIDATION if code == 422 else DETAIL}},
        }
        for code in (400, *codes)
    }


FILES = Depends(uploaded_files)
