"""The link from an object's admin page to its own entries in the activity log."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def activity_url(context, obj):
    request = context.get("request")
    if request is None or not request.user.has_perm("coalition.view_action"):
        return ""
    content_type = ContentType.objects.get_for_model(type(obj))
    return f"{reverse('admin:coalition_action_changelist')}?content_type__id__exact={content_type.pk}&object_id={obj.pk}"
