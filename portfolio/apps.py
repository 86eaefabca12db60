from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self):
        # Keeps the stored health snapshot fresh after the writes that change it (see receivers.py).
        from portfolio import receivers  # noqa: F401
