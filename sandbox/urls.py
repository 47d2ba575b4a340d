"""Mounted at /api/demos/ by quizsite/urls.py."""

from django.urls import path, re_path

from sandbox.api import KEY_PATTERN, DemoRunView, DemoViewSet

app_name = "sandbox"
urlpatterns = [
    path("", DemoViewSet.as_view({"get": "list"}), name="demo-list"),
    re_path(rf"^(?P<key>{KEY_PATTERN})/$", DemoViewSet.as_view({"get": "retrieve"}), name="demo-detail"),
    re_path(rf"^(?P<key>{KEY_PATTERN})/run/$", DemoRunView.as_view(), name="demo-run"),
]
