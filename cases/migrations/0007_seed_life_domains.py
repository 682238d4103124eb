"""The 13 domains of the self-reliance matrix (Zelfredzaamheid-Matrix, DOMAIN.md §6), as data:
a municipality on another matrix edits, deactivates or adds domains. Mental health, substance
use and justice are special-category data (AVG art. 9 and 10)."""

from django.db import migrations

# (code, name as the Dutch matrix names it, special category)
DOMAINS = [
    ("finances", "Financiën", False),
    ("work_education", "Werk en opleiding", False),
    ("daytime_activities", "Tijdsbesteding", False),
    ("housing", "Huisvesting", False),
    ("domestic_relations", "Huiselijke relaties", False),
    ("mental_health", "Geestelijke gezondheid", True),
    ("physical_health", "Lichamelijke gezondheid", False),
    ("substance_use", "Middelengebruik", True),
    ("basic_daily_living", "Basale ADL", False),
    ("instrumental_daily_living", "Instrumentele ADL", False),
    ("social_network", "Sociaal netwerk", False),
    ("community_participation", "Maatschappelijke participatie", False),
    ("justice", "Justitie", True),
]


def seed(apps, schema_editor):
    LifeDomain = apps.get_model("cases", "LifeDomain")
    for order, (code, name, special) in enumerate(DOMAINS, start=1):
        LifeDomain.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "order": order,
                "is_special_category": special,
                "is_active": True,
            },
        )


def unseed(apps, schema_editor):
    LifeDomain = apps.get_model("cases", "LifeDomain")
    LifeDomain.objects.filter(code__in=[code for code, _name, _special in DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_plan_of_approach")]

    operations = [migrations.RunPython(seed, unseed)]
