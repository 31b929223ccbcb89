"""schemathesis against the OpenAPI schema the real server serves: for every operation, bounded
generated requests, valid and not, without and with the token, and every check schemathesis has
(server errors, status codes, content types, headers and bodies conforming to the schema,
invalid data rejected, valid data accepted, auth not ignored, unsupported methods refused...)."""

from __future__ import annotations

import os
import shutil

import pytest
import schemathesis
from conftest import WEB_TOKEN
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from storylens.web.serving import serving

load_all_checks()
ALL_CHECKS = CHECKS.get_all()
EXAMPLES = int(os.environ.get("STORYLENS_SCHEMA_EXAMPLES", 8))  # per operation, mode and token: bounded


@pytest.fixture(scope="module")
def writable_server(web_db, tmp_path_factory):
    """A server over a copy of the shared store, since requests with the token write to it."""
    copy = tmp_path_factory.mktemp("schema") / "web.db"
    shutil.copy(web_db, copy)
    with serving(copy, WEB_TOKEN) as base:
        yield base


@pytest.mark.parametrize("token", [False, True], ids=["without-token", "with-token"])
def test_every_operation_passes_every_check(writable_server, token):
    assert {c.__name__ for c in ALL_CHECKS} >= {
        "not_a_server_error", "status_code_conformance", "response_schema_conformance",
        "content_type_conformance", "negative_data_rejection", "ignored_auth",
    }  # fmt: skip
    schema = schemathesis.openapi.from_url(writable_server + "/api/v1/openapi.json")
    if token:  # configured, so that a case generated without it (a negative one) goes without it
        schema.config.update(headers={"Authorization": f"Bearer {WEB_TOKEN}"})
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:
        for mode in GenerationMode:
            run(operation, mode)


def run(operation, mode: GenerationMode) -> None:
    """Bounded generated cases of one operation in one mode, each through every check."""
    checks = ALL_CHECKS
    if operation.path == "/api/v1/files" and mode == GenerationMode.NEGATIVE:
        # A file is bytes: the "not a string" files schemathesis makes of JSON values arrive as
        # files, which the server must take; every other check still runs.
        checks = [c for c in ALL_CHECKS if c.__name__ != "negative_data_rejection"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=checks)

    check()
