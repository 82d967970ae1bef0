"""The editor desk's pages: queues, assignment, My queue, the overview (issue 5)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
