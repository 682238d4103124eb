"""The six intake criteria of the covenant, as data (another municipality edits them)."""

from django.db import migrations

CRITERIA = [
    (1, "Er is sprake van aan het wonen gerelateerde overlast."),
    (2, "Er is sprake van ernstige overlast of van minimaal 3 maanden overlast."),
    (3, "Er is sprake van meerdere vormen van overlast."),
    (
        4,
        "Er is sprake van complexe achterliggende problematiek (sociaal, psychisch, "
        "criminaliteit, asociaal gedrag, bedreiging, intimidatie).",
    ),
    (
        5,
        "De voorliggende partij (meestal de woningcorporatie) heeft voldoende in het werk "
        "gesteld om het overlastprobleem zelf op te lossen, afgezet tegen de problematiek.",
    ),
    (6, "De complexiteit van de situatie vraagt om de inzet van meerdere disciplines."),
]


def seed(apps, schema_editor):
    Criterion = apps.get_model("cases", "Criterion")
    for number, text in CRITERIA:
        Criterion.objects.update_or_create(number=number, defaults={"text": text, "is_active": True})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
