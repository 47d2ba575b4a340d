"""Markdown with LaTeX: math spans are kept verbatim for KaTeX, the rest goes through Markdown."""

import re

import markdown
from django.utils.html import escape

# $$...$$ (display) first, then $...$ (inline, not spanning lines).
_MATH = re.compile(r"\$\$.+?\$\$|(?<!\\)\$[^\n$]+?(?<!\\)\$", re.DOTALL)


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


_THEAD = re.compile(r"<thead>\s*<tr>(.*?)</tr>\s*</thead>", re.S)
_EMPTY_TH = re.compile(r"<th(?: [^>]*)?>\s*</th>")


def _no_empty_headers(html: str) -> str:
    """A table written without a header row loses its empty one; an empty corner cell becomes a plain cell.

    Markdown tables must start with a header row, so authors leave it blank; an empty
    <th> names nothing for a screen reader (axe: empty-table-header).
    """
    def head(match: re.Match) -> str:
        if not _EMPTY_TH.sub("", match.group(1)).strip():
            return ""
        return _EMPTY_TH.sub("<td></td>", match.group(0))

    return _THEAD.sub(head, html)


def render_markdown(text: str) -> str:
    """HTML for a Markdown text; raw HTML in the source is escaped, math is left for KaTeX."""
    spans: list[str] = []

    def stash(match: re.Match) -> str:
        spans.append(match.group(0))
        return f"\x00MATH{len(spans) - 1}\x00"

    protected = _MATH.sub(stash, _loosen_lists(text or ""))
    html = markdown.markdown(escape(protected).replace("&gt;", ">"), extensions=["sane_lists", "tables"])
    html = _no_empty_headers(html)
    return re.sub(r"\x00MATH(\d+)\x00", lambda m: escape(spans[int(m.group(1))]), html)
