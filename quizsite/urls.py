from django.contrib import admin
from django.urls import include, path
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from concepts import api_urls as content_api, urls as content_pages
from quizsite.health import health
from study import accounts as study_accounts, api_urls as study_api, urls as study_pages

# Swagger UI loads its setup script from its own URL (`?script`), so the page needs no
# inline script; its bundle draws icons as data: images (see CONTENT_SECURITY_POLICY).
api_docs = csp_update({"img-src": ["data:"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("api/health/", health, name="health"),
    path("api/demos/", include("sandbox.urls")),
    path("api/interviews/", include("interview.api_urls")),
    # One namespace per site area, each app adding its own patterns: study depends on concepts, not the other way.
    path("api/", include((study_api.urlpatterns + content_api.urlpatterns, "api"))),
    path("demos/", include("sandbox.web_urls")),
    path("interview/", include("interview.urls")),
    path("accounts/login/", study_accounts.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", study_accounts.set_language, name="set_language"),
    path("", include((study_pages.urlpatterns + content_pages.urlpatterns, "concepts"))),
]

handler404 = "quizsite.errors.not_found"
