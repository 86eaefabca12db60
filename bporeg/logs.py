"""JSON log lines (LOG_FORMAT=json) and the request id that ties a request's lines together.

A formatter of our own rather than python-json-logger: one JSON object per line with the time, level,
logger, message, the request id and any traceback is a dozen lines, and one dependency fewer.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# A load balancer's or proxy's id is kept so lines can be followed across both; anything else is
# replaced, so a client cannot write arbitrary text into the logs through this header.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django logs a 4xx after the middleware has returned, but passes the request along with it.
        request_id = _request_id.get() or getattr(getattr(record, "request", None), "request_id", None)
        if request_id:
            line["request_id"] = request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class RequestIdMiddleware:
    """Gives each request an id (the X-Request-ID it came with, if well-formed), logged with every line
    the request writes and returned in the response's X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response
