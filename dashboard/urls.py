from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("board-pack/", views.board_pack, name="board_pack"),
    path("board-meetings/new/", views.board_meeting_new, name="board_meeting_new"),
    path("exceptions/<int:exception_id>/", views.exception_commentary,
         name="exception_commentary"),
]
