from django.contrib import admin

from interview.models import InterviewItem, MockInterview


class InterviewItemInline(admin.TabularInline):
    model = InterviewItem
    fk_name = "interview"
    extra = 0
    fields = ("position", "concept", "main", "answer", "aloud", "duration_ms", "timed_out", "ticks", "rating",
              "confirmed_at")
    readonly_fields = fields
    can_delete = False


@admin.register(MockInterview)
class MockInterviewAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "main_count", "time_limit_s", "lang", "finished_at")
    list_filter = ("lang", "finished_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "created_at", "finished_at", "main_count", "time_limit_s", "lang", "plan")
    inlines = [InterviewItemInline]
