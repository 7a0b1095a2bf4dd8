"""Forms are rendered by Django's Jinja2 form templates (settings.FORM_RENDERER, for speed):
they must escape what a user typed exactly as the Django templates do."""

from __future__ import annotations

from django import forms
from django.forms.renderers import get_default_renderer


class Sample(forms.Form):
    name = forms.CharField(label="Naam <klager>")
    text = forms.CharField(widget=forms.Textarea)
    kind = forms.ChoiceField(choices=[("a", "<b>a</b>")])


HOSTILE = '"><script>alert(1)</script>'


def test_the_form_renderer_takes_jinja2_templates_and_django_ones_where_there_is_none() -> None:
    renderer = get_default_renderer()
    widget = renderer.get_template("django/forms/widgets/input.html")
    assert widget.__module__.startswith("django.template.backends.jinja2")
    # The admin's widgets exist as Django templates only (they were a 500 in the admin).
    admin = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert admin.__module__.startswith("django.template.backends.django")


def test_a_typed_value_label_choice_and_error_are_escaped() -> None:
    form = Sample(data={"name": HOSTILE, "text": HOSTILE, "kind": HOSTILE})
    assert not form.is_valid()  # the choice is refused, its error printed with the value

    html = form.as_div()

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Naam &lt;klager&gt;" in html
    assert "&lt;b&gt;a&lt;/b&gt;" in html
