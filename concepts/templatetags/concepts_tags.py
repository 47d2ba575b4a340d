from django import template
from django.utils.safestring import mark_safe

from concepts.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))


@register.filter
def tr(obj, name: str):
    """`{{ concept|tr:"title" }}`: the field in the active language."""
    return obj.localized(name)
