"""The alerts waiting to be delivered, as a Prometheus gauge counted in the database at scrape time.

A custom collector rather than a gauge kept up to date: the database is the truth, shared by every web
and worker process, so any process's scrape gives the same figure with one aggregate query.
"""

import logging

from django.db import DatabaseError
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from alerts.models import Alert, Channel, DeliveryStatus

logger = logging.getLogger(__name__)

WAITING = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


class WaitingAlertsCollector:
    def collect(self):
        waiting = GaugeMetricFamily(
            "bporeg_alerts_waiting",
            "Alerts not yet delivered: pending (queued, or a digest's until it goes out) and failed "
            "(will be retried), by channel.",
            labels=["status", "channel"],
        )
        # Zeros first: "nothing waiting" is a figure too, and an alert rule needs the series to exist.
        counts = {
            (status.value, channel.value): 0
            for status in WAITING
            for channel in Channel
            if channel != Channel.IN_APP
        }
        try:
            rows = (
                Alert.objects.filter(status__in=WAITING)
                .order_by()
                .values_list("status", "channel")
                .annotate(count=Count("id"))
            )
            counts.update({(status, channel): count for status, channel, count in rows})
        except DatabaseError:
            # The rest of the scrape still matters when the database is away; /readyz says why.
            logger.warning("Alerts waiting not counted: the database did not answer.", exc_info=True)
            return
        for (status, channel), count in counts.items():
            waiting.add_metric([status, channel], count)
        yield waiting
