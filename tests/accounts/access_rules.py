from tests.access import PUBLIC, REDIRECT_ALL, SIGNED_IN, Rule


def setup(world):
    return None


RULES = {
    "home": Rule({**REDIRECT_ALL, "outsider": 403}),
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
