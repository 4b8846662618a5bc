from django.db import models
from django.utils.translation import gettext_lazy as _


class WhoRegion(models.TextChoices):
    AFR = "AFR", _("African Region")
    AMR = "AMR", _("Region of the Americas")
    SEAR = "SEAR", _("South-East Asia Region")
    EUR = "EUR", _("European Region")
    EMR = "EMR", _("Eastern Mediterranean Region")
    WPR = "WPR", _("Western Pacific Region")


class IncomeGroup(models.TextChoices):
    LOW = "L", _("Low income")
    LOWER_MIDDLE = "LM", _("Lower-middle income")
    UPPER_MIDDLE = "UM", _("Upper-middle income")
    HIGH = "H", _("High income")


class Country(models.Model):
    """A WHO Member State (reference data loaded by a migration from members/data/countries.csv)."""

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_official = models.CharField(_("official name"), max_length=200)
    who_region = models.CharField(_("WHO region"), max_length=4, choices=WhoRegion.choices)
    income_group = models.CharField(
        _("World Bank income group"), max_length=2, choices=IncomeGroup.choices, blank=True,
        help_text=_("Empty where the World Bank does not classify the economy."),
    )
    fragile = models.BooleanField(
        _("fragile and conflict-affected setting"), default=False,
        help_text=_("On the World Bank's list of fragile and conflict-affected situations."),
    )
    population = models.BigIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(iso3__regex=r"^[A-Z]{3}$"), name="country_iso3_format"),
            models.CheckConstraint(condition=models.Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_format"),
        ]

    def __str__(self):
        return self.name
