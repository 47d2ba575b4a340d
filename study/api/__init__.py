"""The learner's API by area: `accounts` (sign-up, profile, account deletion, own data),
`flashcards`, `quizzes`, `progress` (statistics). URLs in `study.api_urls`."""
