"""The signed-in pages of a plan where its public page is written and published:
/essex/public-page/..."""

from django.urls import path, re_path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("preview/", views.preview, name="preview"),
    path("settings/", views.page_settings, name="settings"),
    path("actions/<str:ref>/", views.summary_edit, name="summary_edit"),
    path("weaknesses/<int:number>/", views.finding_edit, name="finding_edit"),
    path("you-said-we-did/new/", views.entry_new, name="entry_new"),
    path("you-said-we-did/<int:entry_id>/", views.entry_edit, name="entry_edit"),
    re_path(r"^(?P<kind>actions|weaknesses|measures|you-said-we-did)/(?P<key>[\w-]{1,20})/publish/$",
            views.publish, name="publish"),
    re_path(r"^(?P<kind>actions|weaknesses|measures|you-said-we-did)/(?P<key>[\w-]{1,20})/withdraw/$",
            views.withdraw, name="withdraw"),
]
