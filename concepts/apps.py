from django.apps import AppConfig


class ConceptsConfig(AppConfig):
    name = "concepts"
    verbose_name = "Concepts and questions"

    def ready(self):
        from django.core import checks

        from concepts import rendering, stored_exports
        from concepts.stored_payloads import upkeep
        from concepts.checks import check_demo_links

        checks.register(check_demo_links, checks.Tags.database)

        stored_exports.connect_signals()
        rendering.connect_signals()
        upkeep.connect_signals()
