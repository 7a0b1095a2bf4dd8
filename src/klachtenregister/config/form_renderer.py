"""Form widgets through Django's Jinja2 form templates, the same HTML at half the CPU (a
complaint page renders every action form it offers; docs/performance.md); a template that has no
Jinja2 version (the admin's widgets) through the Django templates, as Django's own renderer."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template.exceptions import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
