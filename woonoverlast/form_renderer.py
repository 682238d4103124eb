"""Every `{{ form }}` and `{{ field.as_field_group }}` renders as NL Design System Utrecht
form fields.

The templates live in `templates/django/forms/` (they override Django's own names, so a
plain `{{ form }}` picks them up). The bound field below adds the Utrecht class to each
widget, so views and forms never style fields by hand. Django itself already sets
`aria-invalid="true"` and `aria-describedby` (help text and error ids) on the widget.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# Widget types that do not get a textbox look (handled by their own rule, or left alone).
_NOT_TEXTBOX = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.HiddenInput,
    forms.MultipleHiddenInput,
)


def utrecht_widget_class(widget: forms.Widget, *, invalid: bool) -> str:
    """The Utrecht component class for one widget, with its invalid modifier."""
    if isinstance(widget, forms.Textarea):
        base = "utrecht-textarea utrecht-textarea--html-textarea"
        flag = "utrecht-textarea--invalid"
    elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        base = "utrecht-select utrecht-select--html-select"
        flag = "utrecht-select--invalid"
    elif isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        base = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
        flag = "utrecht-checkbox--invalid"
    elif isinstance(widget, forms.RadioSelect):
        base = "utrecht-radio-button utrecht-radio-button--html-input"
        flag = "utrecht-radio-button--invalid"
    elif isinstance(widget, widgets.Input) and not isinstance(widget, _NOT_TEXTBOX):
        base = "utrecht-textbox utrecht-textbox--html-input"
        flag = "utrecht-textbox--invalid"
    else:
        return ""
    return f"{base} {flag}" if invalid else base


class UtrechtBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = utrecht_widget_class(widget, invalid=bool(self.errors))
        if css:
            own = attrs.get("class") or widget.attrs.get("class") or ""
            attrs["class"] = f"{css} {own}".strip()
        return attrs

    @property
    def utrecht_kind(self) -> str:
        """Which Utrecht form-field layout the field template uses."""
        widget = self.field.widget
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        return "text"


class UtrechtFormRenderer(TemplatesSetting):
    """Renders forms through the TEMPLATES setting, with the Utrecht bound field."""

    bound_field_class = UtrechtBoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        # A form template gets the fields with errors, for the error summary at its top.
        if "form" in context and "fields" in context:
            context = {
                **context,
                "invalid_fields": [bf for bf, errors in context["fields"] if errors],
            }
        return super().render(template_name, context, request)
