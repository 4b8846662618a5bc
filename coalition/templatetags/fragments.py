"""{% fragment "name" value ... %}…{% endfragment %}: the enclosed HTML drawn once per set of values.

Every value the enclosed part shows must be among the tag's values (see coalition.fragments); the
language, time zone and release are added by the tag.
"""

from django import template

from coalition import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        values = [value.resolve(context) for value in self.values]
        return fragments.drawn(self.name.resolve(context), values, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a name and at least one value")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
