"""Reading, checking and loading the shipped content in `fixtures/content/*.yaml` (format: fixtures/README.md).

Modules, each with one job:

- `bundle`: what reading produces (`Problem`, `Bundle` of unsaved instances, `LoadReport`) and where the files are;
- `reader`: YAML to a bundle and the problems found item by item (pure: no database, no demos);
- `aliases`: the concepts' search aliases file (`fixtures/search/aliases.yaml`), read and checked like the cards;
- `checks`: slugs and links across the bundle, and the demo values the texts quote, against the demo-result store;
- `answer_keys`: the public answer-key sync, used by the loader and the CSV / JSON import;
- `services`: `read_bundle` (read and check), `load_bundle` (write, in one transaction), `load_content` (both).

`read_bundle` reports every broken item by file and slug; `load_content` writes nothing
unless there is none.
"""

from concepts.content.aliases import ALIAS_MAX_LENGTH, read_aliases
from concepts.content.answer_keys import sync_accepted, sync_answer_key, sync_choices
from concepts.content.bundle import (
    ALIAS_FIELDS, SLUG_RE, Bundle, ConceptItem, ContentInvalid, LoadReport, Problem, QuestionItem, TopicItem,
    aliases_file, content_files,
)
from concepts.content.checks import cross_checks, demo_checks
from concepts.content.reader import CONCEPT_KEYS, QUESTION_KEYS, TOPIC_KEYS, read_files
from concepts.content.services import load_bundle, load_content, read_bundle

__all__ = [
    "ALIAS_FIELDS", "ALIAS_MAX_LENGTH", "CONCEPT_KEYS", "QUESTION_KEYS", "SLUG_RE", "TOPIC_KEYS", "Bundle",
    "ConceptItem", "ContentInvalid", "LoadReport", "Problem", "QuestionItem", "TopicItem", "aliases_file",
    "content_files", "cross_checks", "demo_checks", "load_bundle", "load_content", "read_aliases", "read_bundle",
    "read_files", "sync_accepted", "sync_answer_key", "sync_choices",
]
