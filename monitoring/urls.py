from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.home, name="home"),
    path("monitoring-pack/<str:period_slug>/", views.pack, name="pack"),
    path("monitoring/periods/<str:period_slug>/close/", views.period_close,
         name="period_close"),
    path("monitoring/periods/<str:period_slug>/reopen/", views.period_reopen,
         name="period_reopen"),
    path("monitoring/meetings/new/", views.meeting_new, name="meeting_new"),
    path("monitoring/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("monitoring/meetings/<int:meeting_id>/submit/", views.meeting_submit,
         name="meeting_submit"),
    path("monitoring/meetings/<int:meeting_id>/packs/<int:submission_id>/",
         views.submitted_pack, name="submitted_pack"),
    path("monitoring/meetings/<int:meeting_id>/outcome/", views.meeting_outcome,
         name="meeting_outcome"),
    path("monitoring/meetings/<int:meeting_id>/letter/", views.meeting_letter,
         name="meeting_letter"),
]
