"""Prometheus metrics of the web processes: requests by view, and the scrape behind /metrics.

prometheus_client is used directly rather than django-prometheus: the requests by view are one small
middleware, and the /metrics view must check a token and add the alerts gauge, which django-prometheus's
own view does not do; its database and cache instrumentation would need swapped backends bporeg does
not want. With PROMETHEUS_MULTIPROC_DIR set (gunicorn with several workers), every process writes its
samples there and a scrape adds them up, whichever process answers it.
"""

import hmac
import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from alerts.metrics import WaitingAlertsCollector

# Anything else (WebDAV verbs, garbage) is one label value: a client must not create time series at will.
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Paths that match no URL pattern share one label, so scanners probing random paths add no series.
UNRESOLVED = "<unresolved>"

REQUESTS = Counter(
    "bporeg_http_requests",
    "HTTP requests answered, by view name, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "bporeg_http_request_duration_seconds",
    "Time from the first middleware to the response, by view name and method.",
    ["view", "method"],
)


class RequestMetricsMiddleware:
    """Counts and times every request; first in MIDDLEWARE, so redirects and refusals count too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else UNRESOLVED
        method = request.method if request.method in KNOWN_METHODS else "other"
        LATENCY.labels(view, method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        return response


def bearer_token_matches(request, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def scrape() -> tuple[bytes, str]:
    """The exposition text: this process's metrics (or, in multiprocess mode, every process's) and the
    alerts waiting, counted in the database now."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        # The process-wide registry is itself a collector: this adds its metrics to the scrape.
        registry.register(REGISTRY)
    registry.register(WaitingAlertsCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
