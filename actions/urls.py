from django.urls import path

from . import exports, views

app_name = "actions"

urlpatterns = [
    path("", views.list, name="list"),
    # Declared before <str:ref>/ so "export.csv" is never read as an action reference.
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("<str:ref>/", views.detail, name="detail"),
    path("<str:ref>/updates/new/", views.update_new, name="update_new"),
    path("<str:ref>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("<str:ref>/milestones/<int:milestone_id>/done/", views.milestone_done,
         name="milestone_done"),
    path("<str:ref>/due-date/", views.due_date, name="due_date"),
    path("<str:ref>/evidence/new/", views.evidence_new, name="evidence_new"),
    path("<str:ref>/evidence/<int:evidence_id>/", views.evidence_download,
         name="evidence_download"),
]
