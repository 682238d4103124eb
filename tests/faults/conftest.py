"""Fixtures of the fault tests (docs/operations.md, "Faults"): the meeting world and a media
folder of their own."""

from __future__ import annotations

import pytest

from tests.meetings.conftest import World, world  # noqa: F401 - fixtures shared with meetings


@pytest.fixture
def media(settings, tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


def files_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


__all__ = ["World", "files_in"]
