"""Participation figures per providing department, for the authority's supervision."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ckan import model

from ckanext.zaozhuang.participation.ratings.model import Rating
from ckanext.zaozhuang.participation.showcases.model import Showcase, ShowcaseDataset


def department_figures() -> dict[str, dict[str, Any]]:
    """For each department (organization id) with any: how many published showcases use
    its datasets, and the average stars and number of ratings of its active datasets."""
    figures: dict[str, dict[str, Any]] = {}

    def entry(org_id: str) -> dict[str, Any]:
        return figures.setdefault(org_id, {"showcases": 0, "rating_average": None,
                                           "rating_count": 0})

    showcases = (model.Session.query(model.Package.owner_org,
                                     sa.func.count(sa.distinct(Showcase.id)))
                 .join(ShowcaseDataset, ShowcaseDataset.dataset_id == model.Package.id)
                 .join(Showcase, Showcase.id == ShowcaseDataset.showcase_id)
                 .filter(Showcase.state == "published", model.Package.state == "active",
                         model.Package.owner_org.isnot(None))
                 .group_by(model.Package.owner_org))
    for org_id, count in showcases:
        entry(org_id)["showcases"] = count
    ratings = (model.Session.query(model.Package.owner_org, sa.func.avg(Rating.stars),
                                   sa.func.count(Rating.id))
               .join(Rating, Rating.dataset_id == model.Package.id)
               .filter(model.Package.state == "active", model.Package.owner_org.isnot(None))
               .group_by(model.Package.owner_org))
    for org_id, average, count in ratings:
        entry(org_id).update(rating_average=round(float(average), 2), rating_count=count)
    return figures
