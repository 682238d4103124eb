"""Seed the covenant parties, districts, networks and the covenant from a data file.

Utrecht's specifics are data: they live in `partners/seed/utrecht.json`, not here. The
migration is idempotent (update_or_create by name) and its reverse is a no-op: rows that
people have since worked with must not disappear with a migration rollback.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "utrecht.json"


def _lines(items):
    return "\n".join(f"- {item}" for item in items)


def seed(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    District = apps.get_model("partners", "District")
    Network = apps.get_model("partners", "Network")
    Covenant = apps.get_model("partners", "Covenant")

    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    obligation_sets = data["obligation_sets"]

    parties = []
    for item in data["organisations"]:
        organisation, _ = Organisation.objects.update_or_create(
            name=item["name"],
            defaults={
                "short_name": item.get("short_name", ""),
                "kind": item["kind"],
                "on_call_only": item.get("on_call_only", False),
                "obligations": _lines(obligation_sets[item["obligation_set"]]),
            },
        )
        parties.append(organisation)

    districts = {}
    for name in data["districts"]:
        districts[name], _ = District.objects.get_or_create(name=name)

    for item in data["networks"]:
        network, _ = Network.objects.get_or_create(name=item["name"])
        network.districts.add(*(districts[name] for name in item["districts"]))

    spec = data["covenant"]
    covenant, _ = Covenant.objects.update_or_create(
        title=spec["title"],
        defaults={
            "signed_on": datetime.date.fromisoformat(spec["signed_on"]),
            "starts_on": datetime.date.fromisoformat(spec["starts_on"]),
            "first_term_ends_on": datetime.date.fromisoformat(spec["first_term_ends_on"]),
            "renews_tacitly": spec["renews_tacitly"],
            "notice_months": spec["notice_months"],
            "general_obligations": _lines(spec["general_obligations"]),
        },
    )
    covenant.parties.add(*parties)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_covenant_general_obligations_user_role_history"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
