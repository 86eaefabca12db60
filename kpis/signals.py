"""Events of the KPI data that other apps may follow without `kpis` depending on them."""

from django.dispatch import Signal

# Sent by `services.record_measurements` inside its transaction, with `vendor_ids`: the vendors whose
# measurements were written (the rows go in with SQL in bulk, so post_save is not sent for them).
measurements_saved = Signal()
