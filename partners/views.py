"""Pages of partners: the directories, a partner's page, working groups and their meetings, "my
actions", the calendar subscription, shared projects and the network. Changes go through services."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cite.decorators import permission_required
from cite.http import safe_next
from partners import selectors, services
from partners.filters import AgreementFilter, ContactFilter, InstitutionFilter, WorkingGroupFilter
from partners.forms import ActionStatusForm, ObjectiveProgressForm, SignAgreementForm
from partners.ical import build_calendar
from partners.models import (
    Action,
    Agreement,
    CalendarToken,
    GroupDocument,
    Institution,
    Meeting,
    Objective,
    WorkingGroup,
    local_today,
)


def _visible_or_refuse(queryset, model, pk):
    """The object from a queryset limited to what the reader may see: 403 if it exists but is not theirs."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        if model.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return found


def _private_file(field, *, filename, content_type=None):
    """Stream a stored file to someone the view has already checked; never cached by a proxy."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Institutions and their contacts ------------------------------------------------------------------


@permission_required("partners.view_institution")
def institution_list(request):
    filterset = InstitutionFilter(request.GET or None, queryset=selectors.institution_directory())
    return render(request, "partners/institution_list.html", {"filter": filterset, "institutions": filterset.qs})


@permission_required("partners.view_institution")
def institution_detail(request, pk):
    institution = get_object_or_404(selectors.institution_page(), pk=pk)
    # Its working groups link to their pages only for those who may open them.
    my_group_ids = set(selectors.visible_groups(request.user).values_list("pk", flat=True))
    return render(
        request, "partners/institution_detail.html", {"institution": institution, "my_group_ids": my_group_ids}
    )


@permission_required("partners.view_institution")
@require_safe
def institution_logo(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    if not institution.logo:
        raise Http404
    try:
        handle = institution.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(institution.logo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@permission_required("partners.view_contact")
def contact_list(request):
    filterset = ContactFilter(request.GET or None, queryset=selectors.contact_directory())
    return render(request, "partners/contact_list.html", {"filter": filterset, "contacts": filterset.qs})


# --- Agreements ---------------------------------------------------------------------------------------


@permission_required("partners.view_agreement")
def agreement_list(request):
    filterset = AgreementFilter(request.GET or None, queryset=selectors.agreement_overview())
    return render(
        request,
        "partners/agreement_list.html",
        {"filter": filterset, "agreements": filterset.qs, "today": local_today()},
    )


@permission_required("partners.change_agreement")
def agreement_sign(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("institution"), pk=pk)
    if agreement.stage != Agreement.Stage.DRAFT:
        messages.info(request, _("This agreement is no longer a draft: there is nothing to sign."))
        return redirect(agreement.get_absolute_url())
    if request.method == "POST":
        form = SignAgreementForm(request.POST, request.FILES, agreement=agreement)
        if form.is_valid():
            try:
                services.sign_agreement(
                    agreement=agreement,
                    signature_date=form.cleaned_data["signature_date"],
                    document=form.cleaned_data["document"] or None,
                )
            except services.AgreementStageError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("“%(title)s” is signed.") % {"title": agreement.title})
                return redirect(agreement.get_absolute_url())
    else:
        form = SignAgreementForm(agreement=agreement)
    return render(request, "partners/agreement_sign.html", {"agreement": agreement, "form": form})


@permission_required("partners.view_agreement")
@require_safe
def agreement_document(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("institution"), pk=pk)
    if not agreement.document:
        raise Http404
    filename = f"{slugify(agreement.institution.name)}-{slugify(agreement.title)}.pdf"
    return _private_file(agreement.document, filename=filename, content_type="application/pdf")


# --- Working groups, meetings, actions ----------------------------------------------------------------


@permission_required("partners.view_workinggroup")
def group_list(request):
    filterset = WorkingGroupFilter(request.GET or None, queryset=selectors.group_list(request.user))
    return render(request, "partners/group_list.html", {"filter": filterset, "groups": filterset.qs})


@permission_required("partners.view_workinggroup")
def group_detail(request, pk):
    group = _visible_or_refuse(selectors.group_page(request.user), WorkingGroup, pk)
    return render(request, "partners/group_detail.html", {"group": group})


@permission_required("partners.view_groupdocument")
@require_safe
def group_document(request, pk):
    document = _visible_or_refuse(
        GroupDocument.objects.filter(group__in=selectors.visible_groups(request.user)), GroupDocument, pk
    )
    if not document.file:
        return redirect(document.link)
    extension = document.extension.lower()
    return _private_file(document.file, filename=f"{slugify(document.title) or 'document'}.{extension}")


@permission_required("partners.view_meeting")
def meeting_detail(request, pk):
    meeting = _visible_or_refuse(selectors.meeting_page(request.user), Meeting, pk)
    return render(request, "partners/meeting_detail.html", {"meeting": meeting})


@permission_required("partners.view_meeting")
def meeting_minutes(request, pk):
    """The minutes as one A4 document, for printing or saving as PDF."""
    meeting = _visible_or_refuse(selectors.meeting_page(request.user), Meeting, pk)
    return render(request, "partners/meeting_minutes.html", {"meeting": meeting})


@permission_required("partners.follow_own_actions")
def my_actions(request):
    actions = list(selectors.actions_of(request.user))
    return render(
        request,
        "partners/my_actions.html",
        {
            "pending": [action for action in actions if not action.done],
            "finished": [action for action in actions if action.done],
            "overdue_count": sum(action.overdue for action in actions),
            "status_choices": Action.Status.choices,
        },
    )


@permission_required("partners.follow_own_actions")
def action_status(request, pk):
    action = get_object_or_404(Action.objects.select_related("group", "owner", "meeting"), pk=pk)
    if action.owner_id != request.user.pk and not request.user.has_perm("partners.change_action"):
        raise PermissionDenied
    next_url = safe_next(request, reverse("partners:my-actions"))
    if request.method == "POST":
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            try:
                services.set_action_status(action=action, status=form.cleaned_data["status"], by=request.user)
            except services.ActionError as error:
                form.add_error(None, error.message)
            else:
                action.refresh_from_db()
                messages.success(
                    request,
                    _("“%(action)s” is now: %(status)s.")
                    % {"action": action.description, "status": action.get_status_display()},
                )
                return HttpResponseRedirect(next_url)  # a URL, never a view name to reverse()
    else:
        form = ActionStatusForm(initial={"status": action.status})
    return render(request, "partners/action_status.html", {"action": action, "form": form, "next": next_url})


# --- Calendar subscription ----------------------------------------------------------------------------


@never_cache
@permission_required("partners.view_meeting")
def calendar(request):
    """Make, replace or revoke the secret link a calendar app subscribes to."""
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_token(user=request.user)
            messages.success(request, _("Your subscription link no longer works."))
            return redirect("partners:calendar")
        token = services.issue_calendar_token(user=request.user)
        # Shown once, on this very response: only a digest of the token is kept.
        feed_url = request.build_absolute_uri(reverse("partners:calendar-feed", kwargs={"token": token}))
    subscription = CalendarToken.objects.filter(user=request.user).first()
    return render(
        request,
        "partners/calendar.html",
        {
            "subscription": subscription,
            "feed_url": feed_url,
            "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
        },
    )


@require_safe
def calendar_feed(request, token):
    """Public URL, for calendar apps that cannot log in: the secret token in it is the credential."""
    user = selectors.user_for_calendar_token(token)
    if user is None:
        raise Http404
    body = build_calendar(
        user=user,
        meetings=selectors.feed_meetings(user),
        events=selectors.feed_events(user),
        absolute_url=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cite-working-groups.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Shared projects ----------------------------------------------------------------------------------


@permission_required("partners.view_project")
def project_list(request):
    return render(request, "partners/project_list.html", {"projects": selectors.project_overview()})


@permission_required("partners.change_objective")
def objective_progress(request, pk):
    objective = get_object_or_404(Objective.objects.select_related("project"), pk=pk)
    if request.method == "POST":
        form = ObjectiveProgressForm(request.POST)
        if form.is_valid():
            try:
                services.record_progress(objective=objective, progress=form.cleaned_data["progress"])
            except services.ObjectiveError as error:
                form.add_error("progress", error.message)
            else:
                messages.success(request, _("Progress of “%(objective)s” recorded.") % {"objective": objective.title})
                return redirect(f"{reverse('partners:project-list')}#project-{objective.project_id}")
    else:
        form = ObjectiveProgressForm(initial={"progress": objective.progress})
    return render(request, "partners/objective_progress.html", {"objective": objective, "form": form})


# --- The network --------------------------------------------------------------------------------------


@permission_required("partners.view_network")
def network(request):
    today = local_today()
    events = list(selectors.network_events())
    return render(
        request,
        "partners/network.html",
        {
            "centres": selectors.network_centres(),
            "upcoming": sorted((e for e in events if e.ends_on >= today), key=lambda e: e.starts_on),
            "past": [e for e in events if e.ends_on < today],
            "today": today,
        },
    )
