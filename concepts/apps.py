from django.apps import AppConfig


class ConceptsConfig(AppConfig):
    name = "concepts"
    verbose_name = "Concepts and questions"

    def ready(self):
        from concepts import rendering, stored_exports

        stored_exports.connect_signals()
        rendering.connect_signals()
