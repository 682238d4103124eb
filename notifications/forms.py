from django import forms
from django.utils.translation import gettext_lazy as _

from woonoverlast.forms import Form

from .choices import EmailMode


class PreferenceForm(Form):
    email_mode = forms.ChoiceField(
        label=_("How do you want to receive notifications by e-mail?"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "You always see every notification in the application. E-mails only hold the "
            "case number and a link that works after signing in."
        ),
    )
