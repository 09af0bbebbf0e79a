from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("variation/", views.variation, name="variation"),
    path("<int:measure_id>/", views.detail, name="detail"),
    path("<int:measure_id>/readings/new/", views.reading_new, name="reading_new"),
    path("<int:measure_id>/readings/template.xlsx", views.readings_template,
         name="readings_template"),
    path("<int:measure_id>/readings/upload/", views.readings_upload, name="readings_upload"),
    path("<int:measure_id>/milestone-targets/", views.milestone_target, name="milestone_target"),
]
