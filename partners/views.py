"""Pages of partners: the directories, a partner's page, working groups and their meetings, "my
actions", the calendar subscription, shared projects and the network. Changes go through services."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from cite.decorators import permission_required
from cite.http import safe_next
from partners import selectors, services
from partners.filters import AgreementFilter, ContactFilter, InstitutionFilter, WorkingGroupFilter
from partners.forms import (
    ActionFormSet,
    ActionStatusForm,
    AttendanceForm,
    ContactPageForm,
    DraftAgreementForm,
    ExchangeForm,
    InstitutionPageForm,
    MeetingPlanForm,
    MeetingTimesForm,
    MinutesForm,
    ObjectiveProgressForm,
    SignAgreementForm,
)
from partners.ical import build_calendar
from partners.models import (
    Action,
    Agreement,
    CalendarToken,
    Contact,
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
    exchanges = selectors.exchanges_of(institution) if request.user.has_perm("partners.view_exchange") else []
    return render(
        request,
        "partners/institution_detail.html",
        {
            "institution": institution,
            "my_group_ids": my_group_ids,
            "exchanges": exchanges,
            "activity": selectors.partner_activity(institution),
        },
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
    return render(
        request,
        "partners/group_detail.html",
        {"group": group, "may_run_meetings": services.may_run_meetings(request.user, group)},
    )


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
    may_run = services.may_run_meetings(request.user, meeting.group)
    return render(
        request,
        "partners/meeting_detail.html",
        {"meeting": meeting, "may_run": may_run, "show_minutes": meeting.is_published or may_run},
    )


@permission_required("partners.view_meeting")
def meeting_minutes(request, pk):
    """The minutes as one A4 document, for printing or saving as PDF."""
    meeting = _visible_or_refuse(selectors.meeting_page(request.user), Meeting, pk)
    if not meeting.is_published and not services.may_run_meetings(request.user, meeting.group):
        messages.info(request, _("The minutes of this meeting are not published yet."))
        return redirect(meeting)
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


# --- Back office: institutions, contacts, agreements, exchanges ---------------------------------------


def _form_error(form, error):
    """A domain error as the form's own errors, each reason on its own line."""
    for message in error.messages:
        form.add_error(None, message)


@permission_required("partners.add_institution")
def institution_create(request):
    return _institution_form(request, Institution())


@permission_required("partners.change_institution")
def institution_edit(request, pk):
    return _institution_form(request, get_object_or_404(Institution, pk=pk))


def _institution_form(request, institution):
    creating = institution.pk is None
    if request.method == "POST":
        form = InstitutionPageForm(request.POST, request.FILES, instance=institution)
        if form.is_valid():
            try:
                institution = services.save_institution(
                    institution=form.save(commit=False), areas=form.cleaned_data["areas"]
                )
            except services.InstitutionError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    (_("%(name)s is added to the partners.") if creating else _("%(name)s is saved."))
                    % {"name": institution.name},
                )
                return redirect(institution)
    else:
        form = InstitutionPageForm(instance=institution)
    return render(request, "partners/institution_form.html", {"form": form, "institution": institution})


@permission_required("partners.change_institution")
@require_POST
def institution_archive(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    active = request.POST.get("active") == "1"
    services.archive_institution(institution=institution, active=active)
    messages.success(
        request,
        (_("%(name)s is a current partner again.") if active else _("%(name)s is archived as a former partner."))
        % {"name": institution.name},
    )
    return redirect(institution)


@permission_required("partners.add_contact")
def contact_add(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    return _contact_form(request, Contact(institution=institution))


@permission_required("partners.change_contact")
def contact_edit(request, pk):
    return _contact_form(request, get_object_or_404(Contact.objects.select_related("institution"), pk=pk))


def _contact_form(request, contact):
    creating = contact.pk is None
    if request.method == "POST":
        form = ContactPageForm(request.POST, instance=contact)
        if form.is_valid():
            try:
                contact = services.save_contact(contact=form.save(commit=False))
            except services.InstitutionError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    (_("%(name)s is added to the contacts.") if creating else _("%(name)s is saved."))
                    % {"name": contact.name},
                )
                if creating and "another" in request.POST:
                    return redirect("partners:contact-add", pk=contact.institution_id)
                return redirect(f"{contact.institution.get_absolute_url()}#contacts-title")
    else:
        form = ContactPageForm(instance=contact)
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "contact": contact, "institution": contact.institution},
    )


@permission_required("partners.change_contact")
@require_POST
def contact_archive(request, pk):
    contact = get_object_or_404(Contact.objects.select_related("institution"), pk=pk)
    active = request.POST.get("active") == "1"
    services.archive_contact(contact=contact, active=active)
    messages.success(
        request,
        (
            _("%(name)s is a current contact again.")
            if active
            else _("%(name)s is archived: they no longer show in the contacts.")
        )
        % {"name": contact.name},
    )
    return redirect(f"{contact.institution.get_absolute_url()}#contacts-title")


@permission_required("partners.add_agreement")
def agreement_create(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    return _agreement_form(request, Agreement(institution=institution))


@permission_required("partners.change_agreement")
def agreement_edit(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("institution", "renews"), pk=pk)
    if agreement.stage != Agreement.Stage.DRAFT:
        messages.info(request, _("A signed agreement is not changed: renew it to prepare the next one."))
        return redirect(agreement.get_absolute_url())
    return _agreement_form(request, agreement)


def _agreement_form(request, agreement):
    creating = agreement.pk is None
    if request.method == "POST":
        form = DraftAgreementForm(request.POST, request.FILES, instance=agreement)
        if form.is_valid():
            try:
                agreement = services.save_draft_agreement(
                    agreement=form.save(commit=False), document=form.cleaned_data["document"] or None
                )
            except services.AgreementStageError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    (_("The draft “%(title)s” is saved.") if creating else _("“%(title)s” is saved."))
                    % {"title": agreement.title},
                )
                return redirect(agreement.get_absolute_url())
    else:
        form = DraftAgreementForm(instance=agreement)
    return render(
        request,
        "partners/agreement_form.html",
        {"form": form, "agreement": agreement, "institution": agreement.institution},
    )


@permission_required("partners.add_agreement")
@require_POST
def agreement_renew(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("institution"), pk=pk)
    try:
        renewal = services.renew_agreement(agreement=agreement)
    except services.AgreementStageError as error:
        messages.error(request, error.message)
        return redirect(agreement.get_absolute_url())
    messages.success(
        request,
        _("A draft renewal of “%(title)s” is ready: check its dates and terms, then record the signature.")
        % {"title": agreement.title},
    )
    return redirect("partners:agreement-edit", pk=renewal.pk)


@permission_required("partners.add_exchange")
def exchange_add(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    if request.method == "POST":
        form = ExchangeForm(request.POST, institution=institution)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.log_exchange(
                    institution=institution,
                    kind=data["kind"],
                    date=data["date"],
                    note=data["note"],
                    staff=data["staff"],
                    contacts=data["contacts"],
                    follow_up=data["follow_up"],
                    follow_up_due=data["follow_up_due"],
                    by=request.user,
                )
            except services.ExchangeError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The exchange with %(name)s is logged.") % {"name": institution.name})
                return redirect(f"{institution.get_absolute_url()}#exchanges-title")
    else:
        form = ExchangeForm(institution=institution, initial={"staff": [request.user]})
    return render(request, "partners/exchange_form.html", {"form": form, "institution": institution})


# --- Meetings: plan, attendance, minutes, actions, publish ---------------------------------------------


def _runnable_group(request, pk):
    group = _visible_or_refuse(selectors.visible_groups(request.user).select_related("lead"), WorkingGroup, pk)
    if not services.may_run_meetings(request.user, group):
        raise PermissionDenied
    return group


@permission_required("partners.view_meeting")
def meeting_plan(request, pk):
    group = _runnable_group(request, pk)
    if request.method == "POST":
        form = MeetingPlanForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.plan_meeting(
                    group=group,
                    starts_at=form.cleaned_data["starts"],
                    ends_at=form.cleaned_data["ends"],
                    place=form.cleaned_data["place"],
                    agenda=form.cleaned_data["agenda"],
                    by=request.user,
                )
            except services.MeetingError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The meeting is planned: it is in the members' calendars."))
                return redirect("partners:meeting-edit", pk=meeting.pk)
    else:
        form = MeetingPlanForm(initial={"starts_at": "14:00", "ends_at": "16:00"})
    return render(request, "partners/meeting_plan.html", {"form": form, "group": group})


def _editable_meeting(request, pk):
    meeting = _visible_or_refuse(selectors.meeting_page(request.user), Meeting, pk)
    if not services.may_run_meetings(request.user, meeting.group):
        raise PermissionDenied
    return meeting


def _attendance_form(meeting, data=None):
    return AttendanceForm(
        data,
        members=selectors.meeting_members(meeting),
        contacts=selectors.meeting_contacts(meeting),
        attendances=list(meeting.attendances.all()),
    )


@permission_required("partners.view_meeting")
def meeting_edit(request, pk):
    """Everything about one meeting on one page: when and where, attendance, minutes and decisions,
    the actions decided. The text is saved first (and as one types, by static/js/meeting-editor.js):
    a mistake elsewhere on the page never loses the minutes."""
    meeting = _editable_meeting(request, pk)
    owners = selectors.action_owners(meeting.group)
    if request.method == "POST":
        times = MeetingTimesForm(request.POST, prefix="when")
        text = MinutesForm(request.POST, prefix="text")
        attendance = _attendance_form(meeting, request.POST)
        actions = ActionFormSet(request.POST, prefix="actions", form_kwargs={"owners": owners})
        saved_text = False
        if text.is_valid():
            try:
                services.save_meeting(meeting=meeting, by=request.user, **text.cleaned_data)
                saved_text = True
            except services.MeetingError as error:
                _form_error(text, error)
        forms_valid = all([times.is_valid(), attendance.is_valid(), actions.is_valid(), saved_text])
        if forms_valid:
            try:
                with transaction.atomic():
                    services.save_meeting(
                        meeting=meeting,
                        by=request.user,
                        starts_at=times.cleaned_data["starts"],
                        ends_at=times.cleaned_data["ends"],
                        place=times.cleaned_data["place"],
                    )
                    services.record_attendance(meeting=meeting, by=request.user, **attendance.attendance())
                    for row in actions:
                        if row.cleaned_data.get("description"):
                            services.assign_action(
                                group=meeting.group,
                                meeting=meeting,
                                description=row.cleaned_data["description"],
                                owner=row.cleaned_data["owner"],
                                due_date=row.cleaned_data["due_date"],
                                by=request.user,
                            )
                    if "publish" in request.POST:
                        services.publish_minutes(meeting=meeting, by=request.user)
            except services.PartnersError as error:
                _form_error(times, error)
            else:
                if "publish" in request.POST:
                    messages.success(request, _("The minutes are published: the members can read them."))
                    return redirect(meeting)
                messages.success(request, _("The meeting is saved."))
                return redirect("partners:meeting-edit", pk=meeting.pk)
        elif saved_text:
            messages.warning(request, _("The minutes are saved as a draft; correct what is shown below."))
    else:
        times = MeetingTimesForm(initial=MeetingTimesForm.initial_for(meeting), prefix="when")
        text = MinutesForm(
            initial={"agenda": meeting.agenda, "minutes": meeting.minutes, "decisions": meeting.decisions},
            prefix="text",
        )
        attendance = _attendance_form(meeting)
        actions = ActionFormSet(prefix="actions", form_kwargs={"owners": owners})
    return render(
        request,
        "partners/meeting_edit.html",
        {"meeting": meeting, "times": times, "text": text, "attendance": attendance, "actions": actions},
    )


@permission_required("partners.view_meeting")
@require_POST
def meeting_autosave(request, pk):
    """The text of the meeting, saved as one types: 204 when saved, 400 with the reason when not."""
    meeting = _editable_meeting(request, pk)
    text = MinutesForm(request.POST, prefix="text")
    if not text.is_valid():
        return JsonResponse({"saved": False, "errors": text.errors.get_json_data()}, status=400)
    try:
        meeting = services.save_meeting(meeting=meeting, by=request.user, **text.cleaned_data)
    except services.MeetingError as error:
        return JsonResponse({"saved": False, "errors": error.messages}, status=400)
    saved_at = timezone.localtime(meeting.updated_at)
    return JsonResponse(
        {"saved": True, "message": _("Draft saved at %(time)s.") % {"time": time_format(saved_at, "H:i:s")}}
    )


@permission_required("partners.view_meeting")
@require_POST
def meeting_unpublish(request, pk):
    meeting = _editable_meeting(request, pk)
    services.unpublish_minutes(meeting=meeting, by=request.user)
    messages.success(request, _("The minutes are a draft again: members no longer see them."))
    return redirect("partners:meeting-edit", pk=meeting.pk)
