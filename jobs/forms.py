from __future__ import annotations

from django import forms

from jobs.choices import US_STATES, Credential, WorkSetting
from jobs.models import TEXT_MAX, Employer, Job, SavedSearch


class EmployerForm(forms.ModelForm):
    website = forms.URLField(max_length=300, assume_scheme="https")

    class Meta:
        model = Employer
        fields = ["organisation", "website", "contact_name", "contact_email"]
        labels = {"contact_email": "Contact email"}


class JobForm(forms.ModelForm):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=TEXT_MAX,
        help_text="Markdown: blank lines between paragraphs, - for lists, **bold**, *italic*, [links](https://…). No HTML.",
    )
    requirements = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX, required=False,
        help_text="Markdown, as above.",
    )  # fmt: skip
    credentials = forms.MultipleChoiceField(
        choices=Credential.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick every credential you accept.",
    )
    state = forms.ChoiceField(choices=[("", "—"), *US_STATES], required=False)
    apply_url = forms.URLField(
        label="Apply at this address",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Your own application page. We store no résumés: applicants go to you.",
    )

    class Meta:
        model = Job
        fields = [
            "title", "description", "requirements", "credentials", "setting", "city", "state",
            "employment_type", "experience", "specialty", "salary_min", "salary_max", "salary_period",
            "apply_url", "apply_email",
        ]  # fmt: skip
        labels = {
            "salary_min": "Pay from",
            "salary_max": "Pay up to",
            "salary_period": "Pay period",
            "apply_url": "Apply at this address",
            "apply_email": "…or apply by email to",
        }
        help_texts = {
            "apply_url": "Your own application page. We store no résumés: applicants go to you.",
            "state": "",
        }
        widgets = {
            "setting": forms.RadioSelect,
            "employment_type": forms.RadioSelect,
            "salary_period": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("salary_min", "salary_max"):
            self.fields[name].widget.attrs.update(min="0", step="0.01")
        # Radio buttons need no "---------" choice: nothing ticked is the blank.
        for name in ("setting", "employment_type", "salary_period"):
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]
        for name in ("experience", "specialty"):
            self.fields[name].choices = [("", "Choose…"), *(c for c in self.fields[name].choices if c[0])]

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", "The top of the range must be at least its bottom.")
        if (
            not data.get("apply_url")
            and not data.get("apply_email")
            and not self.has_error("apply_url")
            and not self.has_error("apply_email")
        ):
            self.add_error("apply_url", "Say how to apply: your application page or an email address.")
        if data.get("apply_url") and data.get("apply_email"):
            self.add_error("apply_email", "Give one way to apply: the page or the email, not both.")
        if data.get("setting") in (WorkSetting.ON_SITE, WorkSetting.HYBRID) and not (
            data.get("city") and data.get("state")
        ):
            self.add_error("city", "An on-site or hybrid job needs its city and state.")
        if data.get("apply_url") and not data["apply_url"].lower().startswith(("https://", "http://")):
            self.add_error("apply_url", "Enter a web address starting with https://.")
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, help_text="Sent to the employer."
    )


class SavedSearchForm(forms.ModelForm):
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency", "query"]
        labels = {"name": "Name this search", "frequency": "Email me"}
        widgets = {"frequency": forms.RadioSelect}
