from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from concepts.demos import display
from concepts.markup import html

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(html(text))  # rendered when content was loaded, read here


@register.filter
def tr(obj, name: str):
    """`{{ concept|tr:"title" }}`: the field in the active language, quoted demo values filled in."""
    return display(obj, name)


@register.filter
def interval(due: datetime, now: datetime | None = None) -> str:
    """Anki-style interval label for a grade button: "1 min", "10 min", "5 h", "8 d", "3.2 mo"."""
    seconds = max(0.0, (due - (now or timezone.now())).total_seconds())
    if seconds < 3600:
        return _("%(n)d min") % {"n": max(1, round(seconds / 60))}
    if seconds < 86400:
        return _("%(n)d h") % {"n": round(seconds / 3600)}
    days = seconds / 86400
    if days < 31:
        return _("%(n)d d") % {"n": round(days)}
    if days < 365:
        return _("%(n).1f mo") % {"n": days / 30.44}
    return _("%(n).1f y") % {"n": days / 365.25}
