from django.apps import AppConfig


class InterviewConfig(AppConfig):
    name = "interview"
    verbose_name = "Mock interviews"

    def ready(self):
        from interview.report import interviews_export
        from study import learner_data

        learner_data.add_export_section("mock_interviews", interviews_export)
