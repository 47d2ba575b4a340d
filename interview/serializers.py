"""API input and output serializers: one input and one output per action."""

from rest_framework import serializers

from interview.models import MAX_MAIN, MIN_MAIN, MockInterview
from interview.services import MAX_ANSWER_LENGTH, MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S


class InterviewStartInput(serializers.Serializer):
    topics = serializers.ListField(child=serializers.SlugField(), required=False, default=list,
                                   help_text="Topic slugs; empty for all topics")
    main_count = serializers.IntegerField(min_value=MIN_MAIN, max_value=MAX_MAIN, default=5,
                                          help_text="Main questions (each may bring 1-2 follow-ups)")
    time_limit_s = serializers.IntegerField(min_value=MIN_TIME_LIMIT_S, max_value=MAX_TIME_LIMIT_S, required=False,
                                            allow_null=True, default=None, help_text="Seconds per answer; null for none")
    lang = serializers.ChoiceField(choices=MockInterview.Language.values, required=False,
                                   help_text="Language of the questions (default: the request's)")
    seed = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                    help_text="Makes the order of questions reproducible")


class InterviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    main_count = serializers.IntegerField()
    time_limit_s = serializers.IntegerField(allow_null=True)
    lang = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    asked = serializers.IntegerField(help_text="Questions asked so far, follow-ups included")


class InterviewKeyPointOutput(serializers.Serializer):
    index = serializers.IntegerField(help_text="0-based; the web page's key is index + 1")
    text = serializers.CharField()
    suggested = serializers.BooleanField(help_text="The typed answer appears to cover it (a hint)")
    ticked = serializers.BooleanField(allow_null=True, help_text="Confirmed by the learner; null before confirming")


class InterviewQuestionOutput(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField(help_text="'main' or 'follow_up'")
    main_position = serializers.IntegerField(allow_null=True, help_text="Follow-ups: the main question's position")
    asked_as = serializers.CharField(help_text="Follow-ups: the interviewer's follow-up that led here")
    concept = serializers.CharField(help_text="The card's slug")
    topic = serializers.CharField()
    question = serializers.CharField(help_text="The card's front, as the interviewer asks it")
    stage = serializers.CharField(help_text="'asked', 'answered' (checklist shown) or 'confirmed' (review recorded)")
    asked_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True, help_text="When the time per answer runs out")
    answer = serializers.CharField(allow_null=True, help_text="Once answered: the typed answer")
    aloud = serializers.BooleanField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)
    timed_out = serializers.BooleanField(allow_null=True)
    model_answer = serializers.CharField(allow_null=True, help_text="Once answered: the card's answer")
    key_points = InterviewKeyPointOutput(many=True, allow_null=True, help_text="Once answered: the checklist")
    suggested_rating = serializers.IntegerField(allow_null=True, help_text="For the suggested ticks")
    ratings_by_count = serializers.ListField(child=serializers.IntegerField(), allow_null=True,
                                             help_text="The rating for 0, 1, ... ticked key points")
    rating = serializers.IntegerField(allow_null=True, help_text="Once confirmed: the rating recorded")
    due_after = serializers.DateTimeField(allow_null=True, help_text="Once confirmed: the card's next due date")


class InterviewNextOutput(serializers.Serializer):
    finished = serializers.BooleanField()
    question = InterviewQuestionOutput(allow_null=True)


class InterviewAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=MAX_ANSWER_LENGTH, required=False, allow_blank=True, default="",
                                   help_text="The typed answer; may be empty with aloud=true or after the time ran out")
    aloud = serializers.BooleanField(default=False, help_text="Answered aloud: reveal without typing")


class InterviewConfirmInput(serializers.Serializer):
    ticks = serializers.ListField(child=serializers.IntegerField(min_value=0), allow_empty=True,
                                  help_text="0-based indexes of the key points covered")
    rating = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True, default=None,
                                      help_text="Override the suggested rating: 1 again, 2 hard, 3 good, 4 easy")


class InterviewErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class ReportSkippedOutput(serializers.Serializer):
    text = serializers.CharField(help_text="The follow-up passed over")
    concept = serializers.CharField(help_text="Its card, already asked in this interview")


class ReportQuestionOutput(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField(help_text="'main' or 'follow_up'")
    main_position = serializers.IntegerField(allow_null=True)
    concept = serializers.CharField()
    title = serializers.CharField()
    question = serializers.CharField()
    asked_as = serializers.CharField()
    answer = serializers.CharField()
    aloud = serializers.BooleanField()
    duration_ms = serializers.IntegerField(allow_null=True)
    timed_out = serializers.BooleanField()
    covered = serializers.ListField(child=serializers.CharField(), help_text="Key points ticked")
    missed = serializers.ListField(child=serializers.CharField(), help_text="Key points not ticked")
    rating = serializers.IntegerField(allow_null=True)
    rating_name = serializers.CharField(allow_null=True)
    skipped = ReportSkippedOutput(many=True)
    follow_ups = serializers.ListField(child=serializers.IntegerField(), required=False,
                                       help_text="Main questions: positions of the follow-ups reached")
    asked_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)


class ReportSummaryOutput(serializers.Serializer):
    questions = serializers.IntegerField()
    main_questions = serializers.IntegerField()
    follow_ups = serializers.IntegerField()
    key_points_covered = serializers.IntegerField()
    key_points_total = serializers.IntegerField()
    covered_share = serializers.FloatField(allow_null=True)
    average_ms = serializers.IntegerField(allow_null=True)
    timed_out = serializers.IntegerField()


class ReportWeakPointOutput(serializers.Serializer):
    concept = serializers.CharField()
    title = serializers.CharField()
    point = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True)


class ReportDueOutput(serializers.Serializer):
    concept = serializers.CharField()
    title = serializers.CharField()
    due = serializers.DateTimeField()


class InterviewReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    lang = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    finished = serializers.BooleanField()
    main_count = serializers.IntegerField()
    time_limit_s = serializers.IntegerField(allow_null=True)
    topics = serializers.ListField(child=serializers.CharField())
    summary = ReportSummaryOutput()
    questions = ReportQuestionOutput(many=True)
    weakest_key_points = ReportWeakPointOutput(many=True, help_text="Missed key points, lowest-rated cards first")
    due = ReportDueOutput(many=True, help_text="This interview's cards due by the end of the learner's day")
