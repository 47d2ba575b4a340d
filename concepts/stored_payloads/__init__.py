"""Cards as readers get them, computed on write and read back whole: the API's card payload and the
concept page's body, per card and language (issue 11, "compute on write, not on read").

A card's API payload (`ConceptDetailSerializer`'s output) and its page's blocks (everything
`concepts/concept_detail.html` renders but the page frame, which holds the per-request bits:
the CSRF token, the account menu, messages) depend on the card's content only. They are built
once and kept in `StoredPayload`; the due queue and the concept page read them back with one
query instead of instantiating and serializing whole cards.

Modules: `fingerprints` (what a row must carry to be served, and writing a row), `cards` (the
API payload), `pages` (the concept page's blocks), `upkeep` (rebuilding after `load_content`,
and the signals that delete rows a change outdates).

Never stale:
- every row carries a fingerprint of the code that built it (the sources of the apps, the
  templates, the translations, the demos' versions) and of the card row's `updated_at`; the
  readers check it and a row that does not match is rebuilt, not served;
- changes that do not touch the card's row delete the rows they affect (`upkeep`'s signals): its
  topic, the cards it links to (slugs and titles), its questions (the page counts them), a
  stored demo result (the page shows its charts);
- `load_content` rebuilds everything at its end (`upkeep.rebuild`); saves inside it skip the signals;
- a card whose quoted demo values are not stored yet (…) or whose page shows a demo still
  computing is never stored: it is served the slow way until its result is there.
"""
