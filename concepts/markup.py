"""Markdown with LaTeX: math spans are kept verbatim for KaTeX, the rest goes through Markdown.

Card and question texts are rendered when content is loaded or edited and kept in the
database (`store_rendered`); pages and exports read them (`html`).
"""

import hashlib
import re
from typing import Iterable

import markdown
from django.db import DatabaseError
from django.utils.html import escape

# A math span: $$...$$ (display) first, then $...$ (inline, not spanning lines). Public: the Anki
# export converts exactly these spans for MathJax (concepts.anki_notes.mathjax).
MATH = re.compile(r"\$\$.+?\$\$|(?<!\\)\$[^\n$]+?(?<!\\)\$", re.DOTALL)
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
    codes: list[str] = []

    def stash(match: re.Match) -> str:
        spans.append(match.group(0))
        return f"\x00MATH{len(spans) - 1}\x00"

    def stash_code(match: re.Match) -> str:
        codes.append(match.group(2).strip())
        return f"\x00CODE{len(codes) - 1}\x00"

    protected = MATH.sub(stash, _CODE.sub(stash_code, _loosen_lists(text or "")))
    html = markdown.markdown(escape(protected).replace("&gt;", ">"), extensions=["sane_lists", "tables"])
    html = _no_empty_headers(html)
    html = re.sub(r"\x00MATH(\d+)\x00", lambda m: escape(spans[int(m.group(1))]), html)
    return re.sub(r"\x00CODE(\d+)\x00", lambda m: f"<code>{escape(codes[int(m.group(1))])}</code>", html)


# -- rendered once, kept in the database -------------------------------------------------

_MEMO_LIMIT = 20_000
_memo: dict[str, str] = {}


def text_digest(text: str) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def _remember(digest: str, html_text: str) -> None:
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()  # a crude bound; shipped content is ~2,000 texts
    _memo[digest] = html_text


def forget() -> None:
    """Empty this process's memo, as in a freshly started process (what is stored stays)."""
    _memo.clear()


def html(text: str) -> str:
    """`render_markdown(text)`, read from what `store_rendered` kept (memo, then one query); rendered only if new."""
    digest = text_digest(text)
    found = _memo.get(digest)
    if found is not None:
        return found
    from concepts.models import RenderedMarkdown

    try:
        found = RenderedMarkdown.objects.filter(digest=digest).values_list("html", flat=True).first()
    except DatabaseError:  # no table yet (a process started before `migrate`): render
        found = None
    if found is None:
        found = render_markdown(text)
    _remember(digest, found)
    return found


def preload() -> int:
    """Read every stored rendering into this process's memo (a web process's start-up); returns how many."""
    from concepts.models import RenderedMarkdown

    try:
        rows = list(RenderedMarkdown.objects.values_list("digest", "html"))
    except DatabaseError:
        return 0
    for digest, html_text in rows[:_MEMO_LIMIT]:
        _memo[digest] = html_text
    return len(rows)


def store_rendered(texts: Iterable[str]) -> int:
    """Render and keep the texts not stored yet; returns how many were rendered."""
    from concepts.models import RenderedMarkdown

    wanted = {text_digest(t): t for t in texts}
    have = set(RenderedMarkdown.objects.filter(digest__in=list(wanted)).values_list("digest", flat=True))
    new = [RenderedMarkdown(digest=d, html=render_markdown(t)) for d, t in wanted.items() if d not in have]
    RenderedMarkdown.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def prune_rendered(keep: Iterable[str]) -> int:
    """Delete stored renderings of texts no longer shown (`keep`: the texts still in use)."""
    from concepts.models import RenderedMarkdown

    digests = {text_digest(t) for t in keep}
    return RenderedMarkdown.objects.exclude(digest__in=list(digests)).delete()[0]
