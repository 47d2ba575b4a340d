"""The content API by area: `catalogue` (topics, concepts, questions), `search`, `exports` (Anki).

The learner's side (accounts, flashcards, quizzes, statistics, own data) is `study.api`.
Views stay thin: an input serializer, a query-layer or service call, an output serializer,
the serializers beside the views that use them.
"""
