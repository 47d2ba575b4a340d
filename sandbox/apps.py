from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Sandbox demos"

    def ready(self):
        from django.core import checks

        from sandbox.checks import check_demos

        checks.register(check_demos, "sandbox")
