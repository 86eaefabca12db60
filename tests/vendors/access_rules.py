from tests.access import INTERNAL_ONLY, VENDOR_A, Rule


def setup(world):
    return None


RULES = {
    "vendors:list": Rule(INTERNAL_ONLY),
    "vendors:detail": Rule(VENDOR_A, kwargs=lambda world: {"slug": world.vendor_a.slug}),
}
