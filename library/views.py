"""The library's pages: search with facets, a resource, its document. Outsiders get 404 for members-only items."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import access
from accounts.access import public_page
from coalition import stored_files
from coalition.http import public_cache
from library import selectors
from library.forms import SearchForm

PAGE_SIZE = 20
PARAMS = ("q", "kind", "lever", "region", "country", "language", "page")


def _visible_resource_or_404(request, pk):
    """The resource if the visitor may see it; a signed-out visitor is asked to sign in, others get 404."""
    resource = selectors.visible_resources(request.user).filter(pk=pk).first()
    if resource is None:
        access.deny(request)
    return resource


@public_page
@require_GET
@public_cache(params=PARAMS)
def library(request):
    form = SearchForm(request.GET)
    filters = form.filters()
    results = selectors.search(user=request.user, filters=filters)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    facets = results.facets()
    return render(request, "library/list.html", {
        "form": form,
        "filters": filters,
        "page": page,
        "count": results.count,
        "facets": [(form[name], facets[name]) for name in selectors.FACETS],
        "query": query.urlencode(),
        "filtered": bool(query),
    }, status=400 if form.errors else 200)


@public_page
@require_GET
@public_cache
def resource_detail(request, pk):
    resource = _visible_resource_or_404(request, pk)
    response = render(request, "library/detail.html", {
        "resource": resource,
        "countries": list(resource.countries.all()),
        "event": selectors.event_if_visible(request.user, resource),
    })
    if resource.members_only:
        response["Cache-Control"] = "private, no-store"
    return response


@public_page
@require_GET
def resource_file(request, pk):
    resource = _visible_resource_or_404(request, pk)
    name = slugify(resource.title)[:60] or "document"
    return stored_files.file_response(
        request, resource.file, what=_("document"), about=resource,
        headers={"Cache-Control": "private, no-store"} if resource.members_only else {},
        content_type="application/pdf", as_attachment=False, filename=f"{name}-{resource.pk}.pdf")
