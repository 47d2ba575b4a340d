from django import template

from interview import report

register = template.Library()


@register.simple_tag(takes_context=True)
def interview_history(context, limit: int = 10):
    """The learner's latest mock interviews, for any page that includes interview/_history.html."""
    user = context["request"].user
    return report.history(user, limit=limit) if user.is_authenticated else []


@register.filter
def clock(total_s) -> str:
    """Seconds as m:ss."""
    total_s = int(total_s)
    return f"{total_s // 60}:{total_s % 60:02d}"


@register.filter
def seconds(ms) -> str:
    """Milliseconds as m:ss."""
    return "–" if ms is None else clock(round(ms / 1000))
