from django.contrib import admin
from django.urls import include, path
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from quizsite.health import health

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
    path("api/", include("concepts.api_urls")),
    path("demos/", include("sandbox.web_urls")),
    path("interview/", include("interview.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("concepts.urls")),
]
