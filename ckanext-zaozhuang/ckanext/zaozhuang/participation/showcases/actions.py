"""Action functions of showcases (registered by name prefix zaozhuang_).

Built here rather than with ckanext-showcase, which makes each showcase a CKAN dataset: it
would enter the catalog, its search and the access inventory, where the access policy
would have to tell showcases from data everywhere."""
from __future__ import annotations

import contextlib
import os
from typing import Any, Optional

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.log import record_decision
from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import jobs, notify
from ckanext.zaozhuang.applications.actions import atomic, validate
from ckanext.zaozhuang.applications.model import as_dict
from ckanext.zaozhuang.participation.showcases import schema
from ckanext.zaozhuang.participation.showcases.model import Showcase, ShowcaseDataset
from ckanext.zaozhuang.uploads import content

_ = tk._

UPLOAD_TO = "showcase"
# The image formats a showcase may carry, by file extension; the bytes must agree.
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def _get(showcase_id: Any, lock: bool = False) -> Showcase:
    query = model.Session.query(Showcase).filter(Showcase.id == showcase_id)
    showcase = (query.with_for_update() if lock else query).one_or_none()
    if showcase is None:
        raise tk.ObjectNotFound(_("Showcase not found"))
    return showcase


def _dataset_ids(showcase: Showcase) -> list[str]:
    return [i for (i,) in model.Session.query(ShowcaseDataset.dataset_id)
            .filter(ShowcaseDataset.showcase_id == showcase.id)
            .order_by(ShowcaseDataset.dataset_id)]


def showcase_dict(showcase: Showcase, viewer: Any) -> dict[str, Any]:
    """A showcase as the viewer may see it: only the datasets the viewer may see are named,
    so a showcase built on data that is not open reveals nothing of it to the public."""
    data = as_dict(showcase)
    viewer = policy.user_object(viewer)
    data["kind_label"] = schema.kind_labels()[showcase.kind]
    data["state_label"] = schema.state_labels()[showcase.state]
    author = model.User.get(showcase.user_id)
    data["user_name"] = author.name if author else None
    datasets = []
    for dataset_id in _dataset_ids(showcase):
        dataset = model.Package.get(dataset_id)
        if (dataset is not None and dataset.state == "active"
                and policy.may_see_metadata(viewer, dataset)):
            datasets.append({"id": dataset.id, "name": dataset.name, "title": dataset.title})
    data["datasets"] = datasets
    is_authority = policy.is_authority(viewer)
    # Reviewers see why it was rejected or hidden; the public never sees review notes.
    if not (is_authority or (viewer is not None and viewer.id == showcase.user_id)):
        for field in ("review_reason", "reviewed_by"):
            data.pop(field)
    data["image_url"] = (tk.url_for("zaozhuang_showcases.image", id=showcase.id)
                         if showcase.image else None)
    data["may_review"] = is_authority and showcase.state == "pending"
    data["may_hide"] = is_authority and showcase.state == "published"
    return data


def _datasets_for(user: model.User, ids: list[str]) -> list[model.Package]:
    found, unknown = [], []
    for dataset_id in ids:
        dataset = model.Package.get(dataset_id)
        # Not found and not visible answer alike: the form does not reveal what exists.
        if (dataset is None or dataset.state != "active" or dataset.type != "dataset"
                or not policy.may_see_metadata(user, dataset)):
            unknown.append(dataset_id)
        else:
            found.append(dataset)
    if unknown:
        raise tk.ValidationError({"dataset_ids": [
            _("Dataset not found: {ids}").format(ids=", ".join(unknown))]})
    return list({d.id: d for d in found}.values())


def _checked_image(upload: Any) -> Optional[FileStorage]:
    """The uploaded image, if any, once its name, bytes and size say it is a picture."""
    # A form's file field left empty is sent as a part without a file name: no image.
    if upload in (None, "") or (isinstance(upload, FileStorage) and not upload.filename):
        return None
    if not isinstance(upload, FileStorage):
        raise tk.ValidationError({"image_upload": [_("Upload an image file")]})
    extension = os.path.splitext(upload.filename)[1].lower().lstrip(".")
    image_format = IMAGE_FORMATS.get(extension)
    if image_format is None:
        raise tk.ValidationError({"image_upload": [
            _("Only PNG, JPEG, GIF and WebP images can be uploaded")]})
    refused = content.problem(upload.stream, [image_format])
    if refused:
        raise tk.ValidationError({"image_upload": [refused]})
    upload.stream.seek(0, os.SEEK_END)
    size = upload.stream.tell()
    upload.stream.seek(0)
    limit = tk.config.get("ckanext.zaozhuang.participation.showcase_image_max_kb")
    if size > limit * 1024:
        raise tk.ValidationError({"image_upload": [
            _("The image may be at most {kb} KiB").format(kb=limit)]})
    return upload


def image_file(showcase: dict[str, Any]) -> Optional[str]:
    """Where the image of a showcase (as zaozhuang_showcase_show gave it) is stored."""
    if not showcase.get("image"):
        return None
    storage = uploader.get_uploader(UPLOAD_TO).storage_path
    path = os.path.join(storage, os.path.basename(showcase["image"]))
    return path if os.path.isfile(path) else None


@atomic
def zaozhuang_showcase_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a showcase for the big-data authority's review.

    :param title: at most 200 characters
    :param kind: app, report, study or visualisation
    :param description: at most 5000 characters
    :param link: an http or https address
    :param dataset_ids: ids or names of the datasets it uses (at least one, each one the
        submitter may see)
    :param image_upload: optional PNG, JPEG, GIF or WebP image (a file upload)
    """
    tk.check_access("zaozhuang_showcase_create", context, data_dict)
    data_dict = dict(data_dict)
    image = _checked_image(data_dict.pop("image_upload", None))
    data = validate(data_dict, schema.showcase_create_schema(), context)
    user = policy.user_object(context.get("user"))
    datasets = _datasets_for(user, data["dataset_ids"])
    showcase = Showcase(user_id=user.id, state="pending", kind=data["kind"],
                        title=data["title"], description=data["description"],
                        link=data["link"])
    model.Session.add(showcase)
    try:
        model.Session.flush()
    except sa.exc.IntegrityError as error:
        raise tk.ValidationError({"link": [
            _("You have already submitted a showcase with this link")]}) from error
    for dataset in datasets:
        model.Session.add(ShowcaseDataset(showcase_id=showcase.id, dataset_id=dataset.id))
    if image is not None:
        stored: dict[str, Any] = {"image_upload": image}
        upload = uploader.get_uploader(UPLOAD_TO)
        upload.update_data_dict(stored, "image", "image_upload", "clear_image")
        showcase.image = stored["image"]
        upload.upload(uploader.get_max_image_size())
    model.repo.commit()
    return showcase_dict(showcase, user)


@tk.side_effect_free
def zaozhuang_showcase_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A showcase: published ones for everyone, others for their submitter and the
    authority. Only the datasets the caller may see are listed.

    :param id: the showcase's id
    """
    tk.check_access("zaozhuang_showcase_show", context, data_dict)
    data = validate(data_dict, schema.id_schema(), context)
    return showcase_dict(_get(data["id"]), context.get("user"))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@tk.side_effect_free
def zaozhuang_showcase_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Showcases, newest first.

    :param scope: published (default: the gallery), mine (the caller's own, any state) or
        review (the authority's queue of pending ones)
    :param kind: only this kind
    :param q: words in the title or description
    :param dataset_id: only those using this dataset (id)
    :param limit: default 20
    :param offset: default 0
    """
    tk.check_access("zaozhuang_showcase_list", context, data_dict)
    data = validate(data_dict, schema.list_schema(), context)
    user = policy.user_object(context.get("user"))
    query = model.Session.query(Showcase)
    if data["scope"] == "mine":
        query = query.filter(Showcase.user_id == user.id)
    else:
        query = query.filter(Showcase.state == (
            "pending" if data["scope"] == "review" else "published"))
    if data.get("kind"):
        query = query.filter(Showcase.kind == data["kind"])
    if data.get("q"):
        pattern = f"%{_escaped(data['q'])}%"
        query = query.filter(sa.or_(Showcase.title.ilike(pattern, escape="\\"),
                                    Showcase.description.ilike(pattern, escape="\\")))
    if data.get("dataset_id"):
        dataset = model.Package.get(data["dataset_id"])
        # Which showcases use a dataset is told only to those who may see the dataset.
        if dataset is None or not policy.may_see_metadata(user, dataset):
            return {"count": 0, "results": []}
        query = query.filter(Showcase.id.in_(
            sa.select(ShowcaseDataset.showcase_id)
            .where(ShowcaseDataset.dataset_id == dataset.id)))
    total = query.count()
    rows = (query.order_by(Showcase.created.desc(), Showcase.id)
            .offset(data["offset"]).limit(data["limit"]))
    return {"count": total, "results": [showcase_dict(s, user) for s in rows]}


def _portal_language():
    # The submitter's language is unknown: mails use the portal's default one, as the
    # applications' do.
    if has_request_context():
        return force_locale(tk.config.get("ckan.locale_default"))
    return contextlib.nullcontext()


def _mail_reviewed(showcase: Showcase) -> None:
    author = model.User.get(showcase.user_id)
    if not notify.enabled() or author is None or not author.email:
        return
    with _portal_language():
        if showcase.state == "published":
            subject = _("Your showcase was published: {title}").format(title=showcase.title)
            lines = [_("Your showcase {title} passed review and is now in the gallery.").format(
                title=showcase.title)]
        else:
            subject = _("Your showcase was not published: {title}").format(
                title=showcase.title)
            lines = [_("Your showcase {title} was not published.").format(
                title=showcase.title)]
        if showcase.review_reason:
            lines.append(_("Reason: {reason}").format(reason=showcase.review_reason))
        lines.append(tk.url_for("zaozhuang_showcases.read", id=showcase.id, _external=True))
        jobs.enqueue_mail(author.display_name, author.email, subject, "\n\n".join(lines))


@atomic
def zaozhuang_showcase_review(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a pending showcase, or reject it with a reason; the submitter is mailed.

    :param id: the showcase's id
    :param decision: approve or reject
    :param reason: why (required to reject)
    """
    tk.check_access("zaozhuang_showcase_review", context, data_dict)
    data = validate(data_dict, schema.review_schema(), context)
    if data["decision"] == "reject" and not data.get("reason"):
        raise tk.ValidationError({"reason": [_("Give the reason for the rejection")]})
    showcase = _get(data["id"], lock=True)
    if showcase.state != "pending":
        raise tk.ValidationError({"id": [_("Only a showcase awaiting review can be reviewed")]})
    user = policy.user_object(context.get("user"))
    showcase.state = "published" if data["decision"] == "approve" else "rejected"
    showcase.review_reason = data.get("reason")
    showcase.reviewed_by = user.id
    showcase.reviewed_at = now()
    model.repo.commit()
    _mail_reviewed(showcase)
    return showcase_dict(showcase, user)


@atomic
def zaozhuang_showcase_hide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take a published showcase out of the gallery; recorded in the audit log against each
    dataset it uses.

    :param id: the showcase's id
    :param reason: why
    """
    tk.check_access("zaozhuang_showcase_hide", context, data_dict)
    data = validate(data_dict, schema.hide_schema(), context)
    showcase = _get(data["id"], lock=True)
    if showcase.state != "published":
        raise tk.ValidationError({"id": [_("Only a published showcase can be hidden")]})
    user = policy.user_object(context.get("user"))
    showcase.state = "hidden"
    showcase.review_reason = data["reason"]
    showcase.reviewed_by = user.id
    showcase.reviewed_at = now()
    for dataset_id in _dataset_ids(showcase):
        dataset = model.Package.get(dataset_id)
        record_decision("showcase_hidden", user, dataset_id,
                        dataset.owner_org if dataset else None, showcase_id=showcase.id,
                        reason=data["reason"])
    model.repo.commit()
    return showcase_dict(showcase, user)
