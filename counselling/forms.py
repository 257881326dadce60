"""Forms of the counsellor's desk, of the session list, and of workshops (plan, attendance, filters)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from cite import dates
from cite.forms import ShowsLimits
from cite.models import Area
from cite.roles import BACK_OFFICE, COUNSELLOR
from counselling import planning
from counselling.models import AttendanceCount, Permanence, Session, Topic, Workshop
from counselling.services import check_breakdown, check_times
from partners.models import Institution
from reception.forms import ProfileForm
from reception.models import Desk
from resources.forms import ConceptPicker
from resources.models import IscoGroup, Occupation, Record


class RecordPicker(ConceptPicker):
    """Documents handed, chosen like occupations: the chosen ones ticked (by their title), a type-ahead
    to add more."""

    template_name = "counselling/widgets/record_picker.html"

    def __init__(self, attrs=None):
        super().__init__(kind="record", attrs=attrs)

    def get_context(self, name, value, attrs):
        context = forms.SelectMultiple.get_context(self, name, value, attrs)
        selected = [str(pk) for pk in (value or []) if str(pk).isascii() and str(pk).isdigit()]
        context["widget"].update(
            kind="record",
            chosen=list(self.choices.queryset.filter(pk__in=selected)),
            lookup_url=reverse_lazy("counselling:record-lookup"),
            code_prefix="",
            input_label=_("Type three letters of a document's title, then choose it in the list."),
            placeholder=_("CV, alternance, fiche métier…"),
        )
        return context


class SessionForm(ShowsLimits, forms.ModelForm):
    """What the counsellor records during the session; every free text refuses personal data."""

    referral_institutions = forms.ModelMultipleChoiceField(
        Institution.objects.none(),
        required=False,
        label=_("Referred to a partner institution"),
        widget=forms.CheckboxSelectMultiple,
    )
    referral_area = forms.ModelChoiceField(
        Area.objects.none(),
        required=False,
        label=_("Referred to another area"),
        empty_label=_("No"),
        help_text=_("The ticket goes back in that area's queue, keeping its arrival time, when you finish."),
    )

    class Meta:
        model = Session
        fields = [
            "topics",
            "occupations",
            "occupation_groups",
            "information_given",
            "documents",
            "outcome",
            "next_steps",
            "note",
            "started_at",
            "ended_at",
        ]
        field_classes = {"started_at": dates.DateTimeField, "ended_at": dates.DateTimeField}  # bounded years
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "occupations": ConceptPicker(kind="occupation"),
            "occupation_groups": ConceptPicker(kind="group"),
            "documents": RecordPicker(),
            "outcome": forms.RadioSelect,
            "information_given": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "started_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ended_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)
        self.fields["occupations"].queryset = Occupation.objects.all()
        self.fields["occupation_groups"].queryset = IscoGroup.objects.all()
        self.fields["documents"].queryset = Record.objects.all()
        self.fields["outcome"].choices = list(Session.Outcome.choices)
        self.fields["referral_institutions"].queryset = Institution.objects.filter(is_active=True).order_by("name")
        self.fields["referral_area"].queryset = Area.objects.active().exclude(pk=self.instance.area_id)
        self.fields["started_at"].required = False
        if self.instance.pk:
            referrals = list(self.instance.referrals.all())
            self.initial["referral_institutions"] = [r.institution_id for r in referrals if r.institution_id]
            self.initial["referral_area"] = next((r.area_id for r in referrals if r.area_id), None)

    def clean(self):
        data = super().clean()
        started = data.get("started_at") or self.instance.started_at
        ended = data.get("ended_at")
        # Beside the time at fault; a field in error also spares the model's constraint check, which
        # would say the same thing in a database's words.
        for field, message in check_times(session=self.instance, started_at=started, ended_at=ended):
            self.add_error(field, message)
        return data

    def unanswered(self):
        """True when the session would end with nothing to say what happened (no topic, no outcome,
        no referral): worth one question before finishing."""
        data = self.cleaned_data
        return not any(data.get(name) for name in ("outcome", "topics", "referral_institutions", "referral_area"))

    def session_data(self):
        return {**self.cleaned_data}


class OpenDeskForm(forms.Form):
    desk = forms.ModelChoiceField(Desk.objects.filter(is_active=True), label=_("Desk"), empty_label=None)


class WalkInForm(ProfileForm):
    """A visitor met directly at the desk: the area and the same optional anonymous questions as at
    reception (reception.forms.ProfileForm, the one form part every welcome shares)."""

    area = forms.ModelChoiceField(Area.objects.active(), label=_("Area"), empty_label=None)


class SessionFilter(django_filters.FilterSet):
    """The session list's filters (managers see everyone's sessions, counsellors their own)."""

    after = dates.DateFilter(
        field_name="started_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    before = dates.DateFilter(
        field_name="started_at", lookup_expr="date__lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all(), label=_("Area"), empty_label=_("All"))
    counsellor = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Counsellor"), empty_label=_("All"), method="by_counsellor"
    )
    institution = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.all(), label=_("Institution"), empty_label=_("All")
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=Topic.objects.all(), label=_("Topic"), empty_label=_("All")
    )
    group = django_filters.CharFilter(label=_("Occupation group (ISCO code)"), method="by_group")
    outcome = django_filters.ChoiceFilter(
        choices=Session.Outcome.choices, label=_("Question answered"), empty_label=_("All")
    )
    referral = django_filters.ModelChoiceFilter(
        field_name="referrals__institution",
        queryset=Institution.objects.all(),
        label=_("Referred to"),
        empty_label=_("All"),
    )

    class Meta:
        model = Session
        fields = ["after", "before", "area", "counsellor", "institution", "topic", "group", "outcome", "referral"]

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        # Those who recorded a session: one index probe each (EXISTS), not a DISTINCT over every session.
        self.filters["counsellor"].queryset = (
            get_user_model()
            .objects.filter(Exists(Session.objects.filter(counsellor=OuterRef("pk"))))
            .order_by("first_name", "email")
        )

    def by_counsellor(self, queryset, name, value):
        return queryset.filter(counsellor=value)

    def by_group(self, queryset, name, value):
        """Sessions that explored the group or an occupation under it (the code is a prefix: 2 → 2xxx)."""
        code = "".join(character for character in value if character in "0123456789")[:4]
        if not code:
            return queryset
        return queryset.filter(
            Q(occupation_groups__code__startswith=code) | Q(occupations__group__code__startswith=code)
        ).distinct()


# ---------------------------------------------------------------------------------------------------
# Planning


class PermanenceForm(forms.ModelForm):
    """A permanence's weekly rule; refused when it leaves the opening hours or meets another
    (the week-grid page and the admin use this same form)."""

    class Meta:
        model = Permanence
        fields = [
            "institution",
            "area",
            "weekday",
            "starts_at",
            "ends_at",
            "frequency",
            "valid_from",
            "valid_until",
            "desk",
            "counsellor",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"valid_from": dates.DateField, "valid_until": dates.DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cite.models import User
        from cite.roles import COUNSELLOR

        self.fields["institution"].queryset = Institution.objects.filter(is_active=True)
        self.fields["area"].queryset = Area.objects.active()
        self.fields["desk"].queryset = Desk.objects.filter(is_active=True)
        self.fields["counsellor"].queryset = User.objects.filter(is_active=True, groups__name=COUNSELLOR).distinct()

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            for problem in planning.permanence_problems(self.instance):
                self.add_error(None, problem)


class OccurrenceForm(forms.Form):
    """Change one occurrence of a permanence: cancel it, move it, or undo the change."""

    ACTIONS = [("cancel", _("Cancel this date")), ("move", _("Move it")), ("restore", _("Undo the change"))]

    action = forms.ChoiceField(label=_("What to do"), choices=ACTIONS, widget=forms.RadioSelect)
    new_date = dates.DateField(
        label=_("New date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    starts_at = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("To"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, changed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not changed:  # nothing to undo
            self.fields["action"].choices = self.ACTIONS[:2]

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("new_date"):
            self.add_error("new_date", _("Say where the occurrence moves to."))
        return data


class ExtraDateForm(forms.Form):
    """An extra occurrence of a permanence, on a date that is not one of its usual ones."""

    date = dates.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_at = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("To"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


# --- Workshops ----------------------------------------------------------------------------------------

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class WorkshopForm(forms.ModelForm):
    """Plan or change a workshop: what, when, where, with whom, for how many."""

    facilitators = StaffChoiceField(
        None,
        required=False,
        label=_("Facilitators"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff members who lead it (never shown in the public calendar)."),
    )

    class Meta:
        model = Workshop
        fields = [
            "kind",
            "title",
            "description",
            "area",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "institutions",
            "facilitators",
            "occupations",
            "occupation_groups",
            "is_public",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "capacity": forms.NumberInput(attrs={"min": 1}),
            "institutions": forms.CheckboxSelectMultiple,
            "occupations": ConceptPicker(kind="occupation"),
            "occupation_groups": ConceptPicker(kind="group"),
        }
        field_classes = {"starts_at": dates.DateTimeField, "ends_at": dates.DateTimeField}

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(Workshop.Kind.choices)
        self.fields["area"].queryset = Area.objects.active()
        self.fields["area"].empty_label = _("All areas")
        self.fields["institutions"].queryset = Institution.objects.filter(is_active=True).order_by("name")
        self.fields["facilitators"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[COUNSELLOR, BACK_OFFICE])
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["occupations"].queryset = Occupation.objects.all()
        self.fields["occupation_groups"].queryset = IscoGroup.objects.all()
        if self.instance.pk:
            # Partners and colleagues chosen earlier stay choosable even once they have left.
            self.fields["institutions"].queryset = (
                Institution.objects.filter(Q(is_active=True) | Q(workshops=self.instance)).order_by("name").distinct()
            )
            self.fields["facilitators"].queryset = (
                get_user_model()
                .objects.filter(
                    Q(is_active=True, groups__name__in=[COUNSELLOR, BACK_OFFICE])
                    | Q(workshops_facilitated=self.instance)
                )
                .distinct()
                .order_by("first_name", "last_name")
            )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A workshop ends after it starts."))
        return data


class AttendanceForm(forms.Form):
    """How many people came and, if counted, how they split by the reception's profile lists.

    One number field per item of each list ("{list}-{code}"); a list left empty was not asked.
    """

    attendance = forms.IntegerField(
        label=_("People who came"), min_value=0, max_value=100_000, widget=forms.NumberInput(attrs={"min": 0})
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        recorded = {}
        for row in workshop.attendance_counts.all():
            recorded.setdefault(row.profile_list, {})[row.code] = row.count
        if workshop.attendance is not None:
            self.initial.setdefault("attendance", workshop.attendance)
        self.lists = []
        for profile_list in AttendanceCount.List:
            counts = recorded.get(profile_list.value, {})
            names = []
            for code, label in AttendanceCount.items(profile_list.value, codes=list(counts)):
                name = f"{profile_list.value}-{code}"
                self.fields[name] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=100_000,
                    widget=forms.NumberInput(attrs={"min": 0, "class": "count-input"}),
                )
                if code in counts:
                    self.initial.setdefault(name, counts[code])
                names.append((code, name))
            self.lists.append((profile_list, names))

    def fieldsets(self):
        """[(list label, list value, [bound field, ...], errors)] for the template, in the lists' order."""
        return [
            (
                profile_list.label,
                profile_list.value,
                [self[name] for _code, name in names],
                self.list_errors(profile_list),
            )
            for profile_list, names in self.lists
        ]

    def list_errors(self, profile_list):
        return getattr(self, "_list_errors", {}).get(profile_list.value, [])

    def breakdown(self):
        """{list: {code: count}} of the lists that were counted (empty boxes and zeros left out)."""
        result = {}
        for profile_list, names in self.lists:
            counts = {code: self.cleaned_data.get(name) for code, name in names}
            counts = {code: count for code, count in counts.items() if count}
            if counts:
                result[profile_list.value] = counts
        return result

    def clean(self):
        data = super().clean()
        attendance = data.get("attendance")
        if attendance is None or self.errors:
            return data
        self._list_errors = {}
        for profile_list, counts in self.breakdown().items():
            errors = check_breakdown(attendance=attendance, breakdown={profile_list: counts})
            if errors:
                self._list_errors[profile_list] = errors
                for error in errors:
                    self.add_error(None, error)
        return data


class WorkshopFilter(django_filters.FilterSet):
    """The workshop list's filters: period, kind, area, institution; cancelled ones on request."""

    after = dates.DateFilter(
        field_name="starts_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    before = dates.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = django_filters.ChoiceFilter(choices=Workshop.Kind.choices, label=_("Kind"), empty_label=_("All kinds"))
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(), label=_("Area (theme)"), empty_label=_("All areas")
    )
    institution = django_filters.ModelChoiceFilter(
        field_name="institutions",
        queryset=Institution.objects.order_by("name"),
        label=_("Facilitating institution"),
        empty_label=_("All"),
        distinct=True,
    )
    cancelled = django_filters.BooleanFilter(
        field_name="is_cancelled",
        label=_("Cancelled"),
        widget=forms.Select(choices=[("", _("Included")), ("false", _("Left out")), ("true", _("Only"))]),
    )

    class Meta:
        model = Workshop
        fields = ["after", "before", "kind", "area", "institution", "cancelled"]


TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OpeningWeekForm(forms.Form):
    """A week of opening hours: for each weekday, open or not, from and to. For an area, "same
    hours as the centre" keeps no hours of its own."""

    follows_centre = forms.TypedChoiceField(
        label=_("Hours"),
        choices=[("1", _("Same hours as the centre")), ("0", _("Its own hours (within the centre's)"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, area=None, current=None, **kwargs):
        from counselling.models import Weekday

        super().__init__(*args, **kwargs)
        self.area = area
        current = current or {}
        if area is None:
            del self.fields["follows_centre"]
        else:
            self.fields["follows_centre"].initial = "0" if current else "1"
        self.days = []
        for weekday, label in Weekday.choices:
            hours = current.get(weekday)
            self.fields[f"open_{weekday}"] = forms.BooleanField(
                label=_("Open on %(day)s") % {"day": label}, required=False, initial=hours is not None
            )
            self.fields[f"opens_{weekday}"] = forms.TimeField(
                label=_("Opens at"), required=False, widget=TIME_WIDGET, initial=hours and hours.opens_at
            )
            self.fields[f"closes_{weekday}"] = forms.TimeField(
                label=_("Closes at"), required=False, widget=TIME_WIDGET, initial=hours and hours.closes_at
            )
            self.days.append(weekday)

    def rows(self):
        from counselling.models import Weekday

        return [
            (Weekday(day).label, self[f"open_{day}"], self[f"opens_{day}"], self[f"closes_{day}"]) for day in self.days
        ]

    def clean(self):
        cleaned = super().clean()
        follows = self.area is not None and cleaned.get("follows_centre")
        week = {}
        for day in self.days:
            if follows or not cleaned.get(f"open_{day}"):
                week[day] = None
                continue
            opens, closes = cleaned.get(f"opens_{day}"), cleaned.get(f"closes_{day}")
            if opens is None and f"opens_{day}" not in self.errors:
                self.add_error(f"opens_{day}", _("Give the opening time, or untick the day."))
            if closes is None and f"closes_{day}" not in self.errors:
                self.add_error(f"closes_{day}", _("Give the closing time, or untick the day."))
            if opens and closes and closes <= opens:
                self.add_error(f"closes_{day}", _("The closing time must come after the opening time."))
            week[day] = (opens, closes)
        if self.area is not None and not follows and not any(week.values()):
            self.add_error(None, _("Tick the days the area opens, or choose the centre's hours."))
        cleaned["week"] = week
        return cleaned


class ClosureForm(forms.ModelForm):
    class Meta:
        from counselling.models import Closure

        model = Closure
        fields = ["starts_on", "ends_on", "area", "kind", "reason_fr", "reason_en"]
        field_classes = {"starts_on": dates.DateField, "ends_on": dates.DateField}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.active()
        self.fields["area"].empty_label = _("The whole centre")
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]
