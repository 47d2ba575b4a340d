"""Markdown with LaTeX: math spans are kept verbatim for KaTeX, the rest goes through Markdown."""

import re

import markdown
from django.utils.html import escape

# $$...$$ (display) first, then $...$ (inline, not spanning lines).
_MATH = re.compile(r"\$\$.+?\$\$|(?<!\\)\$[^\n$]+?(?<!\\)\$", re.DOTALL)
# Inline code: `x` or ``x`` on one line. Kept apart from Markdown, which would escape our escaping again.
_CODE = re.compile(r"(`+)([^`\n](?:[^\n]*?[^`\n])?)\1(?!`)")


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")


def _loosen_lists(text: str) -> str:
    """Python-Markdown needs a blank line before a list; authors (and GitHub) do not. Insert it."""
    out: list[str] = []
    for line in text.split("\n"):
        if _LIST_ITEM.match(line) and out and out[-1].strip() and not _LIST_ITEM.match(out[-1]) \
                and not out[-1].startswith((" ", "\t")):
            out.append("")
        out.append(line)
    return "\n".join(out)


def render_markdown(text: str) -> str:
    """HTML for a Markdown text; raw HTML in the source is escaped, math is left for KaTeX."""
    spans: list[str] = []
    codes: list[str] = []

    def stash(match: re.Match) -> str:
        spans.append(match.group(0))
        return f"\x00MATH{len(spans) - 1}\x00"

    def stash_code(match: re.Match) -> str:
        codes.append(match.group(2).strip())
        return f"\x00CODE{len(codes) - 1}\x00"

    protected = _MATH.sub(stash, _CODE.sub(stash_code, _loosen_lists(text or "")))
    html = markdown.markdown(escape(protected).replace("&gt;", ">"), extensions=["sane_lists", "tables"])
    html = re.sub(r"\x00MATH(\d+)\x00", lambda m: escape(spans[int(m.group(1))]), html)
    return re.sub(r"\x00CODE(\d+)\x00", lambda m: f"<code>{escape(codes[int(m.group(1))])}</code>", html)
