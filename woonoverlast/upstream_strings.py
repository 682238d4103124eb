"""Django 6.1 strings that Django's own Dutch catalogue does not translate yet.

Django 6.1 changed or added these messages and its `nl` catalogue still has only the old
wording, so they would show in English in the Dutch interface. Naming them here lets
`makemessages` put them in locale/nl, and the project's catalogue (LOCALE_PATHS) takes
precedence over Django's. The msgids must match Django's source exactly. Remove an entry
once Django's own catalogue translates it. Nothing imports this module.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

UPSTREAM_STRINGS = (
    # django/contrib/auth/password_validation.py, MinimumLengthValidator
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    # django/db/models/fields/__init__.py, BLANK_CHOICE_LABEL: the empty choice of a select
    gettext_lazy("- Select an option -"),
    # django/contrib/auth/views.py, PasswordResetView.title
    gettext_lazy("Password reset"),
)
