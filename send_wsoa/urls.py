from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from accounts.forms import SignInForm
from accounts.views import healthz
from actions import views as actions_views
from imports import views as imports_views
from plans import views as plans_views
from public import views as public_views

# Every page of a plan sits under the plan's own address: /essex/actions/JC10/.
plan_patterns = [
    path("", include("dashboard.urls")),
    path("", include("workstreams.urls")),
    path("actions/", include("actions.urls")),
    path("your-actions/", actions_views.yours, name="your_actions"),
    path("reminders/", include("reminders.urls")),
    path("measures/", include("measures.urls")),
    path("audit/", include("audit.urls")),
    path("", include("monitoring.urls")),
    path("import/", include("imports.urls")),
    path("public-page/", include("public.publishing_urls")),
    path("statistics/", include("area_statistics.urls")),
]

urlpatterns = [
    path("", plans_views.index, name="plans"),
    path("accounts/login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", public_views.accessibility_statement, name="accessibility"),
    path("admin/", admin.site.urls),
    # A new plan is imported outside any plan's address, as it has none yet.
    path("plans/import/", imports_views.new_plan_upload, name="new_plan_upload"),
    path("plans/import/check/", imports_views.new_plan_check, name="new_plan_check"),
    path("public/", include("public.urls")),
    # Bookmarks from before plans had addresses of their own.
    re_path(r"^(?P<rest>(?:actions|workstreams|measures|audit|plan|board-pack)/.*)$",
            plans_views.old_address, name="old_address"),
    path("<slug:plan_slug>/", include(plan_patterns)),
]

handler403 = "send_wsoa.errors.permission_denied"
handler404 = "send_wsoa.errors.page_not_found"
handler500 = "send_wsoa.errors.server_error"
