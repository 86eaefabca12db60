from tests.access import PERSONAS, PUBLIC, Rule


def setup(world):
    return None


RULES = {
    "readyz": Rule(PUBLIC),
    # No METRICS_TOKEN in the test settings: metrics are off for everybody, signed in or not.
    "metrics": Rule(dict.fromkeys(PERSONAS, 404)),
}
