from tests.access import PUBLIC, SIGNED_IN, Rule

REDIRECT_ALL = dict.fromkeys(PUBLIC, 302)


def setup(world):
    return None


RULES = {
    "home": Rule({**SIGNED_IN, "manager": 302, "qa": 302, "staff_a": 302, "staff_b": 302, "outsider": 403}),
    "healthz": Rule(PUBLIC),
    "login": Rule({**REDIRECT_ALL, "anonymous": 200}),
    "logout": Rule(REDIRECT_ALL, method="post"),
    "password_change": Rule(SIGNED_IN),
    "password_change_done": Rule(SIGNED_IN),
    "password_reset": Rule(PUBLIC),
    "password_reset_done": Rule(PUBLIC),
    "password_reset_confirm": Rule(PUBLIC, kwargs=lambda world: {"uidb64": "MQ", "token": "bad-token"}),
    "password_reset_complete": Rule(PUBLIC),
    # Django's admin guards itself (is_staff); none of the personas is admin staff.
    "admin:index": Rule(REDIRECT_ALL),
}
