import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
application = get_wsgi_application()

from quizsite.warmup import warm_up  # noqa: E402  (needs the app set up above)

warm_up()  # imports, templates and Markdown now rather than in the first learner's request
