"""The access policy: who may see the metadata and who may get the data of each dataset.

Every path into the portal's data asks this module; no rule is written anywhere else.

Two dataset attributes each open the data to a population (the Measures' 开放 and 共享):
- opening (open_category): unconditional → everyone; conditional → holders of an active
  `open` grant; not_open → nobody through opening.
- sharing (share_category), for members of any department: unconditional → all of them;
  conditional → holders of an active `share` grant (a user or a whole department);
  none → nobody through sharing.
The providing department and the big-data authority always have both. Metadata is public
unless the dataset is not_open; then departments see it when it is shared at all.

What a user holds (memberships, authority, grants) is read in one query per request, and
only when a dataset needs it. A security incident's freeze (access/model.py Freeze) suspends a
dataset's data for all but the authority, or a user's grants; the freezes in force are read
in one small query per request that decides on data.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional, Union

import sqlalchemy as sa
from flask import has_request_context, request

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import freezes
from ckanext.zaozhuang.access.model import Grant, now

Dataset = Union[dict[str, Any], model.Package]

PUBLIC_OPENING = ("unconditional", "conditional")
SHARED = ("unconditional", "conditional")


def authority_organization() -> str:
    return tk.config.get("ckanext.zaozhuang.authority_organization")


@dataclasses.dataclass(frozen=True)
class Decision:
    """Whether a user may get a dataset's data, and on what ground. `reason` is one of
    open, provider, authority, shared, open_grant, share_grant (allowed) or
    not_visible, anonymous, no_grant, not_shared, frozen (refused)."""
    allowed: bool
    reason: str
    grant_id: Optional[str] = None


@dataclasses.dataclass
class _Holder:
    """What one user holds — departments (and whether one is the authority's) and the grants
    to them or their departments — read in one query when first needed, kept for the
    request."""
    user: Optional[model.User]
    _loaded: bool = False
    _org_ids: frozenset[str] = frozenset()
    _org_names: frozenset[str] = frozenset()
    _grants: tuple[Grant, ...] = ()

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.user is None:
            return
        memberships = (
            sa.select(model.Member.group_id, model.Group.name)
            .join(model.Group, model.Group.id == model.Member.group_id)
            .where(model.Member.table_name == "user", model.Member.table_id == self.user.id,
                   model.Member.state == "active", model.Group.is_organization.is_(True),
                   model.Group.state == "active")).subquery()
        columns = [Grant.id, Grant.kind, Grant.dataset_id, Grant.resource_ids,
                   Grant.valid_from, Grant.valid_until]
        rows = model.Session.execute(sa.union_all(
            sa.select(sa.literal("member"), memberships.c.group_id, memberships.c.name,
                      *[sa.null()] * (len(columns) - 2)),
            sa.select(sa.literal("grant"), *columns).where(
                sa.or_(Grant.user_id == self.user.id,
                       Grant.organization_id.in_(sa.select(memberships.c.group_id))),
                Grant.revoked_at.is_(None), Grant.valid_until > now()),
        )).all()
        self._org_ids = frozenset(r[1] for r in rows if r[0] == "member")
        self._org_names = frozenset(r[2] for r in rows if r[0] == "member")
        # Detached copies: only their period and scope are consulted.
        self._grants = tuple(Grant(**dict(zip((c.key for c in columns), r[1:])))
                             for r in rows if r[0] == "grant")

    @property
    def org_ids(self) -> frozenset[str]:
        self._load()
        return self._org_ids

    def is_authority(self) -> bool:
        if self.user is not None and self.user.sysadmin:
            return True
        self._load()
        return authority_organization() in self._org_names

    def is_department_member(self) -> bool:
        return bool(self.org_ids)

    def active_grant(self, kind: str, dataset_id: str,
                     resource_id: Optional[str]) -> Optional[Grant]:
        self._load()
        at = now()
        for grant in self._grants:
            if (grant.kind == kind and grant.dataset_id == dataset_id
                    and grant.covers(resource_id) and grant.is_active(at)):
                return grant
        return None


def _holder(user: Optional[model.User]) -> _Holder:
    # Kept in the WSGI environ: it lives exactly as long as one request.
    if not has_request_context():
        return _Holder(user)
    cache = request.environ.setdefault("zaozhuang.access_holders", {})
    key = user.id if user is not None else None
    if key not in cache:
        cache[key] = _Holder(user)
    return cache[key]


def forget_cached_holders() -> None:
    """Drop what was loaded in this request, after a grant, membership or freeze changed
    in it."""
    if has_request_context():
        request.environ.pop("zaozhuang.access_holders", None)
        request.environ.pop("zaozhuang.access_frozen", None)


def _frozen() -> tuple[frozenset[str], frozenset[str]]:
    """Frozen dataset and user ids, read once per request: a freeze acts on the next one."""
    if not has_request_context():
        return freezes.in_force()
    if "zaozhuang.access_frozen" not in request.environ:
        request.environ["zaozhuang.access_frozen"] = freezes.in_force()
    return request.environ["zaozhuang.access_frozen"]


def is_frozen(dataset_id: Optional[str] = None, user_id: Optional[str] = None) -> bool:
    """Whether the dataset, or the user, is frozen by a security incident."""
    datasets, users = _frozen()
    return dataset_id in datasets or user_id in users


def user_object(user: Union[None, str, model.User]) -> Optional[model.User]:
    """The model user of a name, id or object; None for anonymous or unknown (including
    Flask-Login's anonymous user object)."""
    if isinstance(user, model.User):
        return user
    if not isinstance(user, str) or not user:
        return None
    if has_request_context():
        # The request's own user is loaded already: a lookup by name would query again.
        current = getattr(tk.current_user, "_get_current_object", lambda: None)()
        if isinstance(current, model.User) and user in (current.name, current.id):
            return current
    return model.User.get(user)


def _attributes(dataset: Dataset) -> tuple[str, Optional[str], str, str]:
    if isinstance(dataset, model.Package):
        extras = dataset.extras or {}
        return (dataset.id, dataset.owner_org,
                extras.get("open_category") or "not_open",
                extras.get("share_category") or "none")
    return (dataset["id"], dataset.get("owner_org"),
            dataset.get("open_category") or "not_open",
            dataset.get("share_category") or "none")


def _state(dataset: Dataset) -> tuple[str, bool, Optional[str]]:
    """Lifecycle state, privacy and creator: what decides visibility besides the tiers."""
    if isinstance(dataset, model.Package):
        return dataset.state, bool(dataset.private), dataset.creator_user_id
    return (dataset.get("state") or "active", bool(dataset.get("private")),
            dataset.get("creator_user_id"))


def is_authority(user: Union[None, str, model.User]) -> bool:
    """The big-data authority (市大数据局): sysadmins and members of the supervising
    organization."""
    return _holder(user_object(user)).is_authority()


def is_staff(user: Union[None, str, model.User]) -> bool:
    """Department staff (members of any department) and the big-data authority."""
    holder = _holder(user_object(user))
    return holder.is_department_member() or holder.is_authority()


def works_for_provider(user: Union[None, str, model.User], dataset: Dataset) -> bool:
    """Members of the dataset's providing department (any role), and the big-data authority:
    those who look after how its data is published."""
    user = user_object(user)
    if user is None:
        return False
    holder = _holder(user)
    return _attributes(dataset)[1] in holder.org_ids or holder.is_authority()


def may_see_metadata(user: Union[None, str, model.User], dataset: Dataset) -> bool:
    """Whether the dataset's description is visible to the user: the same permission labels
    that filter search decide, so private, draft and deleted datasets count too."""
    user = user_object(user)
    if user is not None and user.sysadmin:
        return True
    return not set(dataset_labels(dataset)).isdisjoint(user_labels(user))


def data_decision(user: Union[None, str, model.User], dataset: Dataset,
                  resource_id: Optional[str] = None) -> Decision:
    """May this user get the data (files, links, DataStore rows, previews) of the dataset,
    or of one of its resources? Nobody gets the data of a dataset they may not see."""
    dataset_id, owner_org, opening, sharing = _attributes(dataset)
    user = user_object(user)
    if not may_see_metadata(user, dataset):
        return Decision(False, "not_visible")
    # A frozen dataset's data is kept from everyone but the authority, who investigates.
    if is_frozen(dataset_id=dataset_id) and not (
            user is not None and _holder(user).is_authority()):
        return Decision(False, "frozen")
    if opening == "unconditional":
        return Decision(True, "open")
    if user is None:
        return Decision(False, "anonymous")
    holder = _holder(user)
    if owner_org in holder.org_ids:
        return Decision(True, "provider")
    if holder.is_authority():
        return Decision(True, "authority")
    # A frozen user's grants are suspended; what is open to everyone stays open to them.
    suspended = is_frozen(user_id=user.id)
    if opening == "conditional":
        grant = holder.active_grant("open", dataset_id, resource_id)
        if grant is not None:
            return Decision(not suspended, "frozen" if suspended else "open_grant", grant.id)
    if holder.is_department_member():
        if sharing == "unconditional":
            return Decision(True, "shared")
        if sharing == "conditional":
            grant = holder.active_grant("share", dataset_id, resource_id)
            if grant is not None:
                return Decision(not suspended, "frozen" if suspended else "share_grant",
                                grant.id)
    if opening == "conditional" or sharing == "conditional":
        return Decision(False, "no_grant")
    return Decision(False, "not_shared")


def is_open_to_everyone(dataset: Dataset) -> bool:
    return _attributes(dataset)[2] == "unconditional"


def is_audited(dataset: Dataset) -> bool:
    """Access to data that is not open to everyone is logged (安全审计)."""
    return not is_open_to_everyone(dataset)


# Permission labels: the search index carries them, so search filters by visibility with
# no per-result lookup.

def dataset_labels(dataset: Dataset) -> list[str]:
    _id, owner_org, opening, sharing = _attributes(dataset)
    state, private, creator = _state(dataset)
    labels = ["authority"]
    if owner_org:
        labels.append(f"member-{owner_org}")
    else:
        labels.append(f"creator-{creator}")
    if state != "active" or private:
        return labels
    if opening in PUBLIC_OPENING:
        labels.append("public")
    elif sharing in SHARED:
        labels.append("departments")
    return labels


def user_labels(user: Optional[model.User]) -> list[str]:
    labels = ["public"]
    if user is None or user.is_anonymous:
        return labels
    holder = _holder(user)
    labels.append(f"creator-{user.id}")
    labels.extend(f"member-{org_id}" for org_id in holder.org_ids)
    if holder.is_department_member():
        labels.append("departments")
    if holder.is_authority():
        labels.append("authority")
    return labels
