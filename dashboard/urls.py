from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("board-pack/", views.board_pack, name="board_pack"),
    path("choose-plan/", views.select_plan, name="select_plan"),
]
