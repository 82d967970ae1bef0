from django.urls import include, path

from .views import articles, claims, search

urlpatterns = [
    path("", articles.home, name="home"),
    path("articles/", articles.article_list, name="article_list"),
    path("articles/new/", articles.article_create, name="article_create"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    path("articles/<int:pk>/retry/", articles.article_retry, name="article_retry"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/status/", claims.claim_status, name="claim_status"),
    path("claims/<int:pk>/workflow/", claims.claim_workflow, name="claim_workflow"),
    path("claims/<int:pk>/evidence/", claims.claim_evidence, name="claim_evidence"),
    path("claims/", search.claim_search, name="claim_search"),
    path("speakers/", search.speaker_list, name="speaker_list"),
    path("speakers/<int:pk>/", search.speaker_detail, name="speaker_detail"),
    path("", include("verification.desk_urls")),
]
