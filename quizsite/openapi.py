"""The API schema documents every status code an endpoint can answer, not only its successes.

A drf-spectacular post-processing hook adds the error responses that come from the
framework rather than from a view: 400 (bad input, including the text check in
quizsite/inputs.py, which applies to every endpoint), 401 and 403 (no or a bad
session or token), 404 (a path naming nothing), 415 (a body of another media
type) and 429 (rate limits, on every endpoint). What a view documents itself is kept.
"""

from __future__ import annotations

ERROR = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": 'An error: `{"detail": "message"}`, or the messages per field, `{"field": ["message"]}`.',
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Bad input; the fields at fault are named.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Not allowed: not signed in (session), or not this learner's.",
    "404": "Nothing here by that name, or not this learner's.",
    "415": "The body is not of a media type the endpoint takes.",
    "429": "Too many requests (see Retry-After).",
}


def _codes(path: str, operation: dict) -> list[str]:
    codes = ["400", "429"]
    if any(requirement for requirement in operation.get("security", [])):  # a session or token is read
        codes += ["401", "403"]
    if "{" in path or any(p["name"] == "page" for p in operation.get("parameters", [])):
        codes.append("404")  # nothing by that name; or a page past the last
    if "requestBody" in operation:
        codes.append("415")
    return codes


def document_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: add the framework's error responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code in _codes(path, operation):
                responses.setdefault(code, {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}},
                })
    return result
