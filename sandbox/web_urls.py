"""Web pages of the sandbox, mounted at /demos/."""

from django.urls import re_path

from sandbox.api import KEY_PATTERN
from sandbox.views import demo_panel

app_name = "demos"
urlpatterns = [re_path(rf"^(?P<key>{KEY_PATTERN})/$", demo_panel, name="panel")]
