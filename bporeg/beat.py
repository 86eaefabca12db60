"""Beat's scheduler: django-celery-beat's DatabaseScheduler, loading every crontab entry.

Since version 2.8 the DatabaseScheduler leaves out, when it loads the schedule, crontab entries whose
hour is more than two hours away from the current one: an optimisation for installations with
thousands of entries. It also drops Celery's catch-up: a beat restarted at 14:00 would never run the
07:30 job it missed that morning, nor, after a restart past 11:00 on the 1st, the monthly job. bporeg
has a handful of entries, so it loads them all and a missed run is run once when beat is back.
"""

from django.db.models import Q
from django_celery_beat import schedulers


class DatabaseScheduler(schedulers.DatabaseScheduler):
    def _get_crontab_exclude_query(self):
        return Q(pk__in=[])
