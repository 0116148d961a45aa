"""Error reports filed through the real actions."""
from __future__ import annotations

from typing import Any

from tests.factories import CatalogDataset


def report(world, role: str = "requester", dataset: dict[str, Any] | None = None,
           **overrides: Any) -> dict[str, Any]:
    data = {"dataset_id": (dataset or world.dataset)["id"], "kind": "wrong_value",
            "description": "第12路公交首班车时间应为6:00,表中为7:00。"}
    data.update(overrides)
    return world.act(role, "correction_create", **data)


def private_dataset(world) -> dict[str, Any]:
    """A dataset only its department and the authority see."""
    return CatalogDataset(owner_org=world.department["id"], private=True,
                          title="枣庄市公交司机排班表")
