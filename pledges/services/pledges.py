"""The pledge: drafted by focal points, submitted, reviewed by the secretariat (commented, returned,
accepted with its gaps recorded), published; a submission can be recalled until its review starts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition import mail
from coalition.audit import audited
from members.models import Country, Membership
from pledges import catalogue, emails, quality
from pledges.catalogue import Unit
from pledges.models import Commitment, Component, Indicator, Lever, Pledge, PledgeVersion
from pledges.services.common import fmt, lock_pledge, now, require_editor, require_secretariat, require_status, today

COMMITMENT_FIELDS = ["description", "levers", "components", "target_date", "responsible_institution", "budget",
                     "no_budget_needed"]
INDICATOR_FIELDS = ["name", "standard_code", "unit", "currency", "baseline_value", "baseline_year", "target_value",
                    "target_year", "source", "note"]
MAX_INDICATORS = 5


def _copy_commitments(source: Pledge, target: Pledge) -> None:
    for c in source.commitments.order_by("position", "pk").prefetch_related("indicators"):
        copy = Commitment.objects.create(pledge=target, position=c.position, **{f: getattr(c, f) for f in COMMITMENT_FIELDS})
        Indicator.objects.bulk_create([
            Indicator(commitment=copy, position=i.position, **{f: getattr(i, f) for f in INDICATOR_FIELDS})
            for i in c.indicators.all()
        ])


@transaction.atomic
@audited("pledge.started")
def start_pledge(*, country: Country, by, prefill: bool = True) -> Pledge:
    """Open a draft pledge for the country's current term, prefilled from its last pledge."""
    Country.objects.select_for_update().filter(pk=country.pk).first()
    require_editor(by, country)
    day = today()
    membership = Membership.objects.of(country, on=day)
    term = membership.current_term(on=day) if membership else None
    if term is None:
        raise ValidationError(
            _("%(country)s has no membership term running today; ask the secretariat.") % {"country": country},
            code="no_term",
        )
    existing = Pledge.objects.filter(term=term).first()
    if existing is not None:
        raise ValidationError(
            _("%(country)s already has a pledge for this term (%(status)s); continue with it.")
            % {"country": country, "status": existing.get_status_display().lower()},
            code="exists",
        )
    previous = Pledge.objects.filter(country=country).order_by("-term__start", "-created_at").first() if prefill else None
    pledge = Pledge(
        country=country, membership=membership, term=term, created_by=by, prefilled_from=previous,
        title=previous.title if previous else "", vision=previous.vision if previous else "",
        # Written, most likely, in the language its focal point works in (or as the last one was).
        language=previous.language if previous else _pledge_language(by),
        summary_en=previous.summary_en if previous else "",
    )
    pledge.save()
    if previous is not None:
        _copy_commitments(previous, pledge)
    return pledge


def _clean_commitment(data: dict) -> dict:
    cleaned = {f: data.get(f) for f in COMMITMENT_FIELDS}
    for f in ("description", "responsible_institution", "budget"):
        cleaned[f] = (cleaned[f] or "").strip()
    cleaned["no_budget_needed"] = bool(cleaned["no_budget_needed"])
    cleaned["levers"] = [v for v in Lever.values if v in (cleaned["levers"] or [])]
    cleaned["components"] = [v for v in Component.values if v in (cleaned["components"] or [])]
    unknown = set(data.get("levers") or []) - set(Lever.values) | set(data.get("components") or []) - set(Component.values)
    if unknown:
        raise ValidationError(_("Unknown lever or component: %(values)s.") % {"values": ", ".join(sorted(unknown))})
    if cleaned["no_budget_needed"] and cleaned["budget"]:
        raise ValidationError(_("Either give the budget or tick “no budget needed”, not both."), code="budget_and_none")
    return cleaned


def _clean_indicator(data: dict) -> dict:
    cleaned = {f: data.get(f) for f in INDICATOR_FIELDS}
    for f in ("name", "standard_code", "currency", "source", "note"):
        cleaned[f] = (cleaned[f] or "").strip()
    standard = catalogue.get(cleaned["standard_code"])
    if cleaned["standard_code"] and standard is None:
        raise ValidationError(_("Unknown standard indicator: %(code)s.") % {"code": cleaned["standard_code"]},
                              code="unknown_standard")
    if standard is not None:
        cleaned["unit"] = standard.unit
        cleaned["name"] = cleaned["name"] or str(standard.name)
    cleaned["unit"] = cleaned["unit"] or Unit.PERCENT
    cleaned["currency"] = cleaned["currency"].upper() if cleaned["unit"] == Unit.CURRENCY else ""
    return cleaned


def _save_indicators(commitment: Commitment, items: list[dict]) -> None:
    if len(items) > MAX_INDICATORS:
        raise ValidationError(_("A commitment can have at most %(n)s indicators.") % {"n": MAX_INDICATORS},
                              code="too_many_indicators")
    existing = {i.pk: i for i in commitment.indicators.select_for_update()} if commitment.pk else {}
    keep = set()
    for position, data in enumerate(items, start=1):
        pk = data.get("id")
        if pk:
            indicator = existing.get(int(pk))
            if indicator is None:
                raise ValidationError(_("An indicator in the form does not belong to this commitment; reload the page."),
                                      code="foreign_indicator")
            keep.add(indicator.pk)
        else:
            indicator = Indicator(commitment=commitment)
        for f, value in _clean_indicator(data).items():
            setattr(indicator, f, value)
        indicator.position = position
        indicator.full_clean(exclude=["commitment"])
        indicator.save()
    for pk, indicator in existing.items():
        if pk not in keep:
            if indicator.values.exists():
                raise ValidationError(
                    _("The indicator “%(name)s” already has reported values and cannot be removed.")
                    % {"name": indicator}, code="indicator_in_use",
                )
            indicator.delete()


def _pledge_language(user) -> str:
    language = getattr(user, "language", "") or "en"
    return language if language in dict(settings.LANGUAGES) else "en"


@transaction.atomic
@audited("pledge.draft_saved", about="pledge")
def save_pledge_draft(*, pledge: Pledge, by, title: str, vision: str, commitments: list[dict],
                      language: str | None = None, summary_en: str | None = None) -> Pledge:
    """Save a draft as it is, complete or not. ``commitments`` lists every commitment in order;
    an item with an ``id`` updates that commitment, one without adds one, and those left out are removed.
    Each item's ``indicators`` list is treated the same way; an item without that key keeps its indicators.
    """
    pledge = lock_pledge(pledge)
    require_editor(by, pledge.country)
    require_status(pledge, Pledge.Status.DRAFT)
    existing = {c.pk: c for c in pledge.commitments.select_for_update()}
    keep = set()
    for position, data in enumerate(commitments, start=1):
        cleaned = _clean_commitment(data)
        pk = data.get("id")
        if pk:
            commitment = existing.get(int(pk))
            if commitment is None:
                raise ValidationError(_("A commitment in the form does not belong to this pledge; reload the page."),
                                      code="foreign_commitment")
            keep.add(commitment.pk)
        else:
            commitment = Commitment(pledge=pledge)
        for f, value in cleaned.items():
            setattr(commitment, f, value)
        commitment.position = position
        commitment.save()
        if "indicators" in data:
            _save_indicators(commitment, list(data["indicators"] or []))
    for pk, commitment in existing.items():
        if pk not in keep:
            commitment.delete()
    pledge.title = title.strip()
    pledge.vision = vision.strip()
    if language is not None:
        pledge.language = language
    if summary_en is not None:
        pledge.summary_en = summary_en.strip()
    pledge.full_clean(exclude=["country", "membership", "term", "prefilled_from"])
    pledge.save()
    return pledge


def missing_for_submission(pledge: Pledge) -> list[str]:
    """What a pledge lacks before it can be submitted, one sentence per problem.

    Only what a review cannot do without; the rest is the review's quality checklist (pledges.quality).
    """
    problems = []
    if not pledge.title.strip():
        problems.append(_("Give the pledge a title."))
    if not pledge.vision.strip():
        problems.append(_("Write the vision statement."))
    commitments = list(pledge.commitments.order_by("position", "pk").prefetch_related("indicators"))
    if not commitments:
        problems.append(_("Add at least one commitment."))
    labels = {
        "description": _("a description"), "levers": _("at least one lever"),
        "components": _("at least one PHC component"), "target_date": _("a target date"),
    }
    day = today()
    for n, c in enumerate(commitments, start=1):
        missing = [str(label) for f, label in labels.items() if not getattr(c, f)]
        if not any(i.name for i in c.indicators.all()):
            missing.append(str(_("an indicator")))
        if missing:
            problems.append(_("Commitment %(n)s needs %(fields)s.") % {"n": n, "fields": ", ".join(missing)})
        if c.target_date and c.target_date <= day:
            problems.append(_("Commitment %(n)s: the target date %(date)s has passed; choose a later date.")
                            % {"n": n, "date": fmt(c.target_date)})
    return problems


def _number(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def snapshot(pledge: Pledge) -> dict:
    """The pledge's content as plain data, for versions and their diffs."""
    return {
        "title": pledge.title,
        "vision": pledge.vision,
        "commitments": [
            {
                "description": c.description,
                "levers": list(c.levers),
                "components": list(c.components),
                "target_date": c.target_date.isoformat() if c.target_date else "",
                "responsible_institution": c.responsible_institution,
                "budget": c.budget,
                "no_budget_needed": c.no_budget_needed,
                "indicators": [
                    {
                        "name": i.name, "standard_code": i.standard_code, "unit": i.unit, "currency": i.currency,
                        "baseline_value": _number(i.baseline_value), "baseline_year": i.baseline_year,
                        "target_value": _number(i.target_value), "target_year": i.target_year, "source": i.source,
                    }
                    for i in c.indicators.order_by("position", "pk")
                ],
            }
            for c in pledge.commitments.order_by("position", "pk")
        ],
    }


def _pledge_context(pledge: Pledge) -> dict:
    return {"pledge": pledge, "country": pledge.country}


@transaction.atomic
@audited("pledge.submitted", about="pledge")
def submit_pledge(*, pledge: Pledge, by) -> Pledge:
    """A focal point sends a complete draft to the secretariat; its content is kept as a version."""
    pledge = lock_pledge(pledge)
    require_editor(by, pledge.country)
    require_status(pledge, Pledge.Status.DRAFT)
    problems = missing_for_submission(pledge)
    if problems:
        raise ValidationError(problems, code="incomplete")
    moment = now()
    pledge.status = Pledge.Status.SUBMITTED
    pledge.submitted_at = moment
    pledge.submitted_by = by
    pledge.save()
    number = (pledge.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    PledgeVersion.objects.create(pledge=pledge, number=number, snapshot=snapshot(pledge), submitted_at=moment,
                                 submitted_by=by)
    emails.to_secretariat(
        "pledge_submitted", key=mail.key("pledges.pledge_submitted", pledge.pk, number), about=pledge,
        country=pledge.country, context=_pledge_context(pledge), url=("pledges:detail", {"pk": pledge.pk}),
    )
    return pledge


def _pending_version(pledge: Pledge) -> PledgeVersion | None:
    return (PledgeVersion.objects.select_for_update().filter(pledge=pledge, outcome=PledgeVersion.Outcome.PENDING)
            .order_by("-number").first())


def may_recall(pledge: Pledge, pending: PledgeVersion | None) -> bool:
    """A submission can be recalled until the secretariat starts reviewing its pending version."""
    return pledge.status == Pledge.Status.SUBMITTED and (pending is None or pending.review_started_at is None)


@transaction.atomic
@audited("pledge.recalled", about="pledge")
def recall_pledge(*, pledge: Pledge, by) -> Pledge:
    """A focal point takes a submission back to draft, as long as the secretariat has not begun reviewing it."""
    pledge = lock_pledge(pledge)
    require_editor(by, pledge.country)
    require_status(pledge, Pledge.Status.SUBMITTED)
    version = _pending_version(pledge)
    if not may_recall(pledge, version):
        raise ValidationError(
            _("The secretariat has started reviewing this pledge; it can no longer be recalled. "
              "Write to the secretariat if something must change."),
            code="review_started",
        )
    pledge.status = Pledge.Status.DRAFT
    pledge.save()
    if version is not None:
        version.outcome = PledgeVersion.Outcome.RECALLED
        version.reviewed_at = now()
        version.reviewed_by = by
        version.save(update_fields=["outcome", "reviewed_at", "reviewed_by"])
    return pledge


def _close_version(pledge: Pledge, *, outcome: str, by, comment: str = "", gaps=None) -> None:
    fields = {"outcome": outcome, "comment": comment, "reviewed_at": now(), "reviewed_by": by}
    if gaps is not None:
        fields["gaps"] = gaps
    PledgeVersion.objects.filter(pledge=pledge, outcome=PledgeVersion.Outcome.PENDING).update(**fields)


def _start_review(pledge: Pledge) -> PledgeVersion | None:
    version = _pending_version(pledge)
    if version is not None and version.review_started_at is None:
        version.review_started_at = now()
        version.save(update_fields=["review_started_at"])
    return version


@transaction.atomic
@audited("pledge.commented", about="pledge")
def comment_on_commitments(*, pledge: Pledge, by, comments: dict[int, str]) -> PledgeVersion:
    """The secretariat's comment on each commitment (by its number), kept with the version under review.

    Saving comments starts the review: from then on the focal points can no longer recall the submission.
    """
    require_secretariat(by)
    pledge = lock_pledge(pledge)
    require_status(pledge, Pledge.Status.SUBMITTED)
    version = _start_review(pledge)
    count = pledge.commitments.count()
    cleaned = {}
    for number, text in comments.items():
        number = int(number)
        if not 1 <= number <= count:
            raise ValidationError(_("There is no commitment %(n)s in this pledge.") % {"n": number}, code="no_such_commitment")
        if (text or "").strip():
            cleaned[str(number)] = text.strip()
    version.commitment_comments = cleaned
    version.save(update_fields=["commitment_comments"])
    return version


@transaction.atomic
@audited("pledge.returned", about="pledge")
def return_pledge(*, pledge: Pledge, by, comment: str) -> Pledge:
    """The secretariat sends a submitted pledge back to draft, saying what to change."""
    require_secretariat(by)
    pledge = lock_pledge(pledge)
    require_status(pledge, Pledge.Status.SUBMITTED)
    if not (comment or "").strip():
        raise ValidationError(_("Say what the focal points should change; the comment is sent to them."),
                              code="comment_required")
    _start_review(pledge)
    pledge.status = Pledge.Status.DRAFT
    pledge.review_comment = comment.strip()
    pledge.returned_at = now()
    pledge.returned_by = by
    pledge.save()
    _close_version(pledge, outcome=PledgeVersion.Outcome.RETURNED, by=by, comment=pledge.review_comment)
    emails.to_focal_points(
        pledge.country, "pledge_returned", key=mail.key("pledges.pledge_returned", pledge.pk, pledge.returned_at.isoformat()),
        about=pledge, context=_pledge_context(pledge), url=("pledges:edit", {"pk": pledge.pk}),
    )
    return pledge


@transaction.atomic
@audited("pledge.accepted", about="pledge")
def accept_pledge(*, pledge: Pledge, by) -> Pledge:
    """Accepted as it is: the quality checks it does not meet are recorded with the version."""
    require_secretariat(by)
    pledge = lock_pledge(pledge)
    require_status(pledge, Pledge.Status.SUBMITTED)
    _start_review(pledge)
    gaps = quality.gaps(quality.assess(pledge))
    pledge.status = Pledge.Status.ACCEPTED
    pledge.review_comment = ""
    pledge.accepted_at = now()
    pledge.accepted_by = by
    pledge.save()
    _close_version(pledge, outcome=PledgeVersion.Outcome.ACCEPTED, by=by, gaps=gaps)
    emails.to_focal_points(
        pledge.country, "pledge_accepted", key=mail.key("pledges.pledge_accepted", pledge.pk), about=pledge,
        context=_pledge_context(pledge), url=("pledges:detail", {"pk": pledge.pk}),
    )
    return pledge


@transaction.atomic
@audited("pledge.published", about="pledge")
def publish_pledge(*, pledge: Pledge, by) -> Pledge:
    require_secretariat(by)
    pledge = lock_pledge(pledge)
    require_status(pledge, Pledge.Status.ACCEPTED)
    pledge.status = Pledge.Status.PUBLISHED
    pledge.published_at = now()
    pledge.published_by = by
    pledge.save()
    emails.to_focal_points(
        pledge.country, "pledge_published", key=mail.key("pledges.pledge_published", pledge.pk), about=pledge,
        context=_pledge_context(pledge), url=("pledges:country", {"iso3": pledge.country.iso3.lower()}),
    )
    return pledge
