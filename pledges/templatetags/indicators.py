"""Indicator figures in templates, in the reader's number format: {{ value|figure:indicator }}."""

from django import template

from pledges import display

register = template.Library()


@register.filter
def figure(value, indicator):
    return display.with_unit(value, indicator)


@register.filter
def number(value):
    return display.number(value)
