"""Action functions of ratings and comments (registered by name prefix zaozhuang_).

Stars count at once; a comment is shown only once the providing department approved it
(pre-moderation: a public page of a government portal should not carry unreviewed text)."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.plugins.toolkit as tk
from ckan import logic, model
from ckan.model.types import make_uuid
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.log import record_decision
from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications.actions import atomic, validate
from ckanext.zaozhuang.applications.model import as_dict
from ckanext.zaozhuang.participation.ratings import schema
from ckanext.zaozhuang.participation.ratings.model import Rating

_ = tk._


def summaries(dataset_ids: Iterable[str]) -> dict[str, tuple[float, int]]:
    """Average stars and number of ratings of each dataset, in one query."""
    ids = list(dataset_ids)
    if not ids:
        return {}
    rows = (model.Session.query(Rating.dataset_id, sa.func.avg(Rating.stars),
                                sa.func.count(Rating.id))
            .filter(Rating.dataset_id.in_(ids)).group_by(Rating.dataset_id))
    return {dataset_id: (round(float(average), 2), count) for dataset_id, average, count in rows}


RESULT_FIELDS = ("rating_average", "rating_count")


def index_fields(pkg_dict: dict[str, Any], stored: dict[str, Any]) -> None:
    """The Solr fields that sort search by rating (unrated datasets index 0, below any
    rating, so that they come last under 评分最高), and the average and count that the
    search results show, in the dict the index keeps for them: a rating indexes its dataset
    again."""
    average, count = summaries([pkg_dict["id"]]).get(pkg_dict["id"], (0.0, 0))
    pkg_dict["rating_average"] = average
    pkg_dict["rating_count"] = count
    stored["rating_average"], stored["rating_count"] = (average if count else None), count


def annotate(datasets: list[dict[str, Any]]) -> None:
    """Average and count on each search result, for the result list: from the index, and
    queried for results indexed before it kept them."""
    unknown = [d for d in datasets if "rating_count" not in d]
    found = summaries(d["id"] for d in unknown)
    for dataset in unknown:
        dataset["rating_average"], dataset["rating_count"] = found.get(dataset["id"], (None, 0))


def drop_result_fields(dataset: dict[str, Any]) -> None:
    """package_show answers from the same stored dict, without them."""
    for field in RESULT_FIELDS:
        dataset.pop(field, None)


def _visible_dataset(context: Context, dataset_id: str) -> model.Package:
    dataset = model.Package.get(dataset_id)
    if (dataset is None or dataset.state != "active" or dataset.type != "dataset"
            or not policy.may_see_metadata(context.get("user"), dataset)):
        raise tk.ObjectNotFound(_("Dataset not found"))
    return dataset


def _reindex(dataset_id: str) -> None:
    logic.index_update_package({"ignore_auth": True}, dataset_id)


def _check_comment_rate(user: model.User) -> None:
    limit = tk.config.get("ckanext.zaozhuang.participation.comments_per_hour")
    since = now() - datetime.timedelta(hours=1)
    written = (model.Session.query(sa.func.count(Rating.id))
               .filter(Rating.user_id == user.id, Rating.commented_at > since).scalar())
    if written >= limit:
        raise tk.ValidationError({"comment": [
            _("You have written {limit} comments in the last hour; try again later").format(
                limit=limit)]})


def comment_dict(rating: Rating) -> dict[str, Any]:
    user = model.User.get(rating.user_id)
    return {"id": rating.id, "dataset_id": rating.dataset_id, "stars": rating.stars,
            "comment": rating.comment, "comment_state": rating.comment_state,
            "user_name": user.name if user else None,
            "created": as_dict(rating)["created"], "modified": as_dict(rating)["modified"]}


@atomic
def zaozhuang_rating_set(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Rate a dataset the caller may see; rating again replaces the caller's rating.

    :param dataset_id: id or name of the dataset
    :param stars: 1 to 5 (a JSON number)
    :param comment: optional text (markup removed, at most 1000 characters; empty removes the
        comment); shown once the providing department approves it
    """
    tk.check_access("zaozhuang_rating_set", context, data_dict)
    data = validate(data_dict, schema.rating_set_schema(), context)
    dataset = _visible_dataset(context, data["dataset_id"])
    user = policy.user_object(context.get("user"))
    at = now()
    values: dict[str, Any] = {"stars": data["stars"], "modified": at}
    if "comment" in data_dict:
        comment = data.get("comment")
        if comment is not None:
            _check_comment_rate(user)
        values.update(comment=comment, comment_state="pending" if comment else "none",
                      commented_at=at if comment else None, moderated_by=None,
                      moderated_at=None)
    # One statement, so concurrent first ratings of one user end in one row.
    statement = insert(Rating.__table__).values(
        id=make_uuid(), dataset_id=dataset.id, user_id=user.id, created=at,
        **dict({"comment_state": "none"}, **values))
    model.Session.execute(statement.on_conflict_do_update(
        constraint="zaozhuang_rating_one_per_user", set_=values))
    model.repo.commit()
    _reindex(dataset.id)
    return zaozhuang_rating_show(context, {"dataset_id": dataset.id})


@tk.side_effect_free
def zaozhuang_rating_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Average stars and number of ratings of a dataset, and the caller's own rating.

    :param dataset_id: id or name of the dataset
    """
    tk.check_access("zaozhuang_rating_show", context, data_dict)
    data = validate(data_dict, schema.dataset_schema(), context)
    dataset = _visible_dataset(context, data["dataset_id"])
    average, count = summaries([dataset.id]).get(dataset.id, (None, 0))
    user = policy.user_object(context.get("user"))
    own: Optional[Rating] = None
    if user is not None:
        own = (model.Session.query(Rating)
               .filter(Rating.dataset_id == dataset.id, Rating.user_id == user.id)
               .one_or_none())
    return {"dataset_id": dataset.id, "average": average, "count": count,
            "own": comment_dict(own) if own is not None else None}


@tk.side_effect_free
def zaozhuang_rating_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comments on a dataset, newest first: approved ones for everyone; pending or hidden
    ones for the providing department and the big-data authority.

    :param dataset_id: id or name of the dataset
    :param state: approved (default), pending or hidden
    :param limit: default 20
    :param offset: default 0
    """
    tk.check_access("zaozhuang_rating_list", context, data_dict)
    data = validate(data_dict, schema.rating_list_schema(), context)
    dataset = _visible_dataset(context, data["dataset_id"])
    query = (model.Session.query(Rating)
             .filter(Rating.dataset_id == dataset.id, Rating.comment_state == data["state"]))
    total = query.count()
    rows = (query.order_by(Rating.commented_at.desc(), Rating.id)
            .offset(data["offset"]).limit(data["limit"]))
    return {"count": total, "results": [comment_dict(r) for r in rows]}


@atomic
def zaozhuang_rating_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve a comment, or hide it (hiding is recorded in the audit log).

    :param id: the rating's id
    :param decision: approve or hide
    :param reason: why (kept in the audit log)
    """
    tk.check_access("zaozhuang_rating_moderate", context, data_dict)
    data = validate(data_dict, schema.moderate_schema(), context)
    rating = (model.Session.query(Rating).filter(Rating.id == data["id"])
              .with_for_update().one_or_none())
    if rating is None or rating.comment_state == "none":
        raise tk.ObjectNotFound(_("Comment not found"))
    user = policy.user_object(context.get("user"))
    rating.comment_state = "approved" if data["decision"] == "approve" else "hidden"
    rating.moderated_by = user.id
    rating.moderated_at = now()
    if data["decision"] == "hide":
        dataset = model.Package.get(rating.dataset_id)
        record_decision("comment_hidden", user, rating.dataset_id,
                        dataset.owner_org if dataset else None, rating_id=rating.id,
                        reason=data.get("reason"))
    model.repo.commit()
    return comment_dict(rating)
