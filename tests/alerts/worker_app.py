"""bporeg's Celery app for the fault tests' subprocess workers and beats.

The only difference: Redis hands an unacknowledged message back after 5 seconds instead of an hour,
so a test sees the message of a killed worker redelivered, and can check that it sends nothing twice.
"""

from bporeg.celery import app

app.conf.broker_transport_options = {"visibility_timeout": 5, "unacked_restore_interval": 2}

__all__ = ["app"]
