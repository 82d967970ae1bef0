"""The editor desk's pages: queues, assignment, My queue, the overview (issue 5)."""

from django.urls import URLPattern, path

from .views import desk

urlpatterns: list[URLPattern] = [
    path("desk/", desk.desk_overview, name="desk_overview"),
    path("desk/mine/", desk.my_queue, name="my_queue"),
    path("desk/queues/", desk.queue_list, name="queue_list"),
    path("desk/queues/new/", desk.queue_create, name="queue_create"),
    path("desk/queues/<int:pk>/", desk.queue_detail, name="queue_detail"),
    path("desk/queues/<int:pk>/members/", desk.queue_members, name="queue_members"),
    path("desk/queues/<int:pk>/auto-assign/", desk.queue_auto_assign, name="queue_auto_assign"),
    path("desk/articles/<int:pk>/assign/", desk.article_assign, name="article_assign"),
    path("desk/assign/", desk.desk_assign, name="desk_assign"),
    path("desk/claims/<int:pk>/take/", desk.claim_take, name="claim_take"),
    path("desk/claims/<int:pk>/complete/", desk.claim_complete, name="claim_complete"),
    path("desk/notifications/", desk.notifications, name="notifications"),
    path("desk/notifications/read/", desk.notifications_read, name="notifications_read"),
    path("desk/export.csv", desk.desk_export, name="desk_export"),
]
