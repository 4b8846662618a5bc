"""Loading the WHO Member States from members/data/countries.csv (sources in SOURCES.md there)."""

import csv
from pathlib import Path

COUNTRIES_CSV = Path(__file__).resolve().parent / "data" / "countries.csv"


def country_rows():
    # Namibia's ISO code is the string "NA": csv keeps it as text, which is what we want.
    with COUNTRIES_CSV.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield {
                "iso3": row["iso3"],
                "iso2": row["iso2"],
                "m49": row["m49"],
                "name": row["name"],
                "name_official": row["name_official"],
                # The region as decided by WHA78 (May 2025): Indonesia moved to the Western Pacific.
                "who_region": row["who_region_after_wha78_2025"],
                "income_group": row["wb_income_fy2026"],
                "fragile": row["wb_fcs_fy2026"] == "1",
                "population": int(row["population_2024"]) if row["population_2024"] else None,
            }


def load_countries(country_model):
    """Create or update every country; safe to run again after the CSV changes."""
    for row in country_rows():
        country_model.objects.update_or_create(iso3=row["iso3"], defaults=row)
