"""Every page, in Korean and English, at 375 and 1280 px: it fits the screen, a Korean page has no English
words outside formulas, code and technical terms, and axe-core finds no violations.

Screenshots go to artifacts/screenshots/<page>-<lang>-<width>.png (one per visit, kept for a person to look at).
axe-core is vendored (tests/browser/vendor/axe.min.js, npm axe-core 4.14.1) and injected by Playwright; the
context bypasses the site's CSP for that injection only.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from study import quizzes
from concepts.models import Concept, Topic
from tests.browser.conftest import SCREENSHOTS
from sandbox import registry
from tests.english_words import TECHNICAL, english_words

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
PASSWORD = "a long passphrase 42"
# Visible text without what is allowed to stay English: formulas, code, charts' own SVG text
# (their Korean is checked per demo in tests/sandbox/test_demo_texts.py), menus (a demo parameter's choices are
# identifiers, as in the API; the language menu names English), the learner's own username.
VISIBLE_TEXT = """() => {
  const skip = '.katex, .katex-display, code, pre, kbd, svg, script, style, noscript, select, .sr, .username';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (el && !el.closest(skip) && el.checkVisibility()) out.push(node.textContent);
  }
  return out.join(' ');
}"""
# Concept pages sampled: the first card of every topic, plus cards with tables, wide formulas and a demo.
EXTRA_CONCEPTS = ["forward-propagation", "categorical-vs-sparse-ce", "gpu-memory-training", "why-relu-over-sigmoid"]


def demo_identifiers() -> set[str]:
    """Parameter names and choices: identifiers, quoted as they are in the Korean help texts too."""
    words = set()
    for key in registry.DEMOS:
        for param in registry.get(key).PARAMS:
            words |= {param.name.lower(), *(c.lower() for c in param.choices)}
    return words


def concept_pages() -> list[str]:
    first = [Concept.objects.filter(topic=t, status="published").order_by("order").first() for t in
             Topic.objects.order_by("order")]
    slugs = list(dict.fromkeys([c.slug for c in first if c] + EXTRA_CONCEPTS))
    return [f"/concepts/{slug}/" for slug in slugs if Concept.objects.filter(slug=slug).exists()]


@pytest.fixture
def learner(django_user_model, site):
    """A learner with a quiz in progress and a finished one with a missed question."""
    user = django_user_model.objects.create_user("hana", "hana@example.com", PASSWORD)
    # seeded draws: the same questions every run
    open_quiz = quizzes.start_quiz(user=user, length=3, practice=True, rng=random.Random(1))
    done = quizzes.start_quiz(user=user, kinds=["true_false"], length=2, practice=True, rng=random.Random(2))
    from django.utils import timezone

    for item in done.items.select_related("question"):
        quizzes.answer(session=done, item=item, response=not item.question.answer_bool, now=timezone.now())
    quizzes.finish(done, now=timezone.now())
    return {"open": open_quiz.pk, "done": done.pk}


def pages(learner) -> list[tuple[str, str]]:
    topics = [(f"topic-{t.slug}", f"/concepts/?topic={t.slug}") for t in Topic.objects.order_by("order")]
    concepts = [(f"concept-{p.strip('/').split('/')[-1]}", p) for p in concept_pages()]
    return [("home", "/"), ("library", "/concepts/"), *topics, *concepts,
            ("demo", "/demos/vanishing-gradients/"), ("quiz-setup", "/quiz/"),
            ("quiz-run", f"/quiz/{learner['open']}/"), ("quiz-summary", f"/quiz/{learner['done']}/summary/"),
            ("flashcards", "/review/"), ("progress", "/progress/"), ("404", "/no-such-page/")]


def log_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", "hana")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def check(page, name, lang) -> list[str]:
    """The problems of the page as it is now (empty when it passes); saves its screenshot."""
    width = page.viewport_size["width"]
    problems = []
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{overflow}px wider than the screen")
    if lang == "ko":
        leaks = sorted(set(english_words(page.evaluate(VISIBLE_TEXT), TECHNICAL | demo_identifiers())))
        if leaks:
            problems.append(f"English words: {leaks}")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    return problems + [f"axe {v}" for v in violations]


def visit(page, base_url, name, path, lang) -> dict[str, list[str]]:
    """One load of the page, checked at 375 px and again after widening to 1280 px."""
    problems = {}
    page.set_viewport_size({"width": 375, "height": 900})
    response = page.goto(base_url + path, wait_until="load")
    if response.status != (404 if name == "404" else 200):
        problems[f"{name}"] = [f"status {response.status}"]
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        found = check(page, name, lang)
        if found:
            problems[f"{name} {width}"] = found
    return problems


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_fits_speaks_one_language_and_passes_axe(browser, site, learner, lang):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(bypass_csp=True, locale="ko-KR" if lang == "ko" else "en-US")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failures = {}
    for name, path in [("login", "/accounts/login/"), ("signup", "/accounts/signup/")]:
        failures.update(visit(page, site, name, path, lang))
    log_in(page, site)
    for name, path in pages(learner):
        failures.update(visit(page, site, name, path, lang))
    context.close()
    (SCREENSHOTS.parent / f"page-problems-{lang}.txt").write_text(
        "\n".join(f"{page}: {problems}" for page, problems in sorted(failures.items())), encoding="utf-8")
    assert errors == []
    assert failures == {}


def test_a_wide_formula_on_a_phone_scrolls_takes_focus_and_says_so(open_page):
    page = open_page(width=375)
    page.goto("/concepts/vanishing-exploding-gradients/")
    wide = page.page.locator(".katex-display.scrolls")
    assert wide.count() >= 1
    first = wide.first
    assert (first.get_attribute("tabindex"), first.get_attribute("role")) == ("0", "region")
    assert first.get_attribute("aria-label") == "수식 (옆으로 스크롤)"
    assert page.page.locator(".scroll-hint").first.is_visible()
    first.focus()
    page.page.keyboard.press("ArrowRight")
    # The browser scrolls after the key event (smoothly, where it animates): wait for it, generously.
    page.page.wait_for_function("el => el.scrollLeft > 0", arg=first.element_handle(), timeout=30_000)
    first.scroll_into_view_if_needed()
    page.page.screenshot(path=str(SCREENSHOTS / "wide-formula-ko-375.png"))
    assert page.errors == []
