"""Participation figures per providing department, for the authority's supervision: data
requests and error reports (received, answered in time, overdue), showcases using its data,
and the ratings of its datasets."""
from __future__ import annotations

from typing import Any, Iterable

import sqlalchemy as sa

from ckan import model

from ckanext.zaozhuang.participation.corrections import model as corrections
from ckanext.zaozhuang.participation.demand import model as demand
from ckanext.zaozhuang.participation.ratings.model import Rating
from ckanext.zaozhuang.participation.showcases.model import Showcase, ShowcaseDataset


def department_figures(org_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """For each department given: its data requests and error reports (``requests_*``,
    ``corrections_*``: received, answered_in_time, overdue), how many published showcases use
    its datasets, and the stars (sum) and number of ratings of its active datasets."""
    org_ids = list(org_ids)
    figures: dict[str, dict[str, Any]] = {org_id: {
        "showcases": 0, "rating_stars": 0, "rating_count": 0} for org_id in org_ids}
    for prefix, counted in (("requests", demand.figures(org_ids)),
                            ("corrections", corrections.figures(org_ids))):
        for org_id, counts in counted.items():
            figures[org_id].update({f"{prefix}_{k}": v for k, v in counts.items()})
    showcases = (model.Session.query(model.Package.owner_org,
                                     sa.func.count(sa.distinct(Showcase.id)))
                 .join(ShowcaseDataset, ShowcaseDataset.dataset_id == model.Package.id)
                 .join(Showcase, Showcase.id == ShowcaseDataset.showcase_id)
                 .filter(Showcase.state == "published", model.Package.state == "active",
                         model.Package.owner_org.in_(org_ids))
                 .group_by(model.Package.owner_org))
    for org_id, count in showcases:
        figures[org_id]["showcases"] = count
    ratings = (model.Session.query(model.Package.owner_org, sa.func.sum(Rating.stars),
                                   sa.func.count(Rating.id))
               .join(Rating, Rating.dataset_id == model.Package.id)
               .filter(model.Package.state == "active", model.Package.owner_org.in_(org_ids))
               .group_by(model.Package.owner_org))
    for org_id, stars, count in ratings:
        figures[org_id].update(rating_stars=int(stars), rating_count=count)
    return figures
