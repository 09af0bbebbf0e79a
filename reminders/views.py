from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from plans.decorators import plan_reader_required
from plans.models import Plan
from plans.permissions import can_read_reminders

from . import services
from .forms import ReminderChoiceForm
from .models import Reminder, ReminderChoice

SHOWN = 200


@plan_reader_required
def sent(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Every reminder sent for the plan, newest first: to whom, when and what for."""
    if not can_read_reminders(request.user, plan):
        raise PermissionDenied
    reminders = (Reminder.objects.filter(plan=plan).select_related("recipient")
                 .order_by("-sent_at", "-id"))
    return render(request, "reminders/sent.html", {
        "plan": plan, "reminders": reminders[:SHOWN], "count": reminders.count(),
        "shown": SHOWN})


@plan_reader_required
@require_http_methods(["GET", "POST"])
def choice(request: HttpRequest, plan: Plan) -> HttpResponse:
    """How often the person hears of what they owe in this plan; anyone may turn it off."""
    current = (ReminderChoice.objects.filter(user=request.user, plan=plan)
               .values_list("frequency", flat=True).first()
               or ReminderChoice.Frequency.DEADLINES)
    form = ReminderChoiceForm(request.POST or None, initial={"frequency": current})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.reminder_choice_set(user=request.user, plan=plan,
                                                 **form.cleaned_data)
        except ValidationError as error:
            form.add_error("frequency", error.message_dict["frequency"])
        else:
            messages.success(request, f"Reminders: {saved.get_frequency_display().lower()}")
            return redirect("reminders:choice", plan_slug=plan.slug)
    return render(request, "reminders/choice.html", {"plan": plan, "form": form},
                  status=400 if form.errors else 200)
