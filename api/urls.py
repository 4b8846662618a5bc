"""/api/v1/: outside the language prefix (the language is asked with ?lang= or Accept-Language)."""

from api.edge import edge
from api.views import api

patterns, _app_name, namespace = api.urls
for pattern in patterns:
    pattern.callback = edge(pattern.callback)

app_name = namespace
urlpatterns = patterns
