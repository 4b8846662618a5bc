"""Forms drawn through Jinja2's copies of Django's widget templates.

Django draws each field, label and option of a form through a template of its own; through the
Django template engine, a form of a hundred fields (the pledge editor) costs most of its page's
time. Django ships the same templates for Jinja2, which compiles them to Python and draws them
several times faster. Templates that exist only for the Django engine — the admin's widgets,
allauth's, the project's own — are still drawn by it.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class SiteFormRenderer(BaseRenderer):
    @cached_property
    def _jinja2(self):
        return Jinja2()

    @cached_property
    def _django(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)
