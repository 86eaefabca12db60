"""Error reports to Sentry, switched on by SENTRY_DSN: web requests and Celery tasks.

Imported only when a DSN is set, so an install without Sentry never loads the SDK.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def start(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Vendor staff's names, emails and addresses, and the vendor data in form posts and in the
        # variables of a failing function, stay out of a third party's hands.
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
    )
