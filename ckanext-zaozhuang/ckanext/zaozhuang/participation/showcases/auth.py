"""Auth functions of showcases (registered by name prefix zaozhuang_).

Logged-in users submit showcases; the big-data authority (and sysadmins) review and hide
them; a published showcase is public, any other only its submitter's and the authority's."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.participation.showcases.model import Showcase

_ = tk._


def result(allowed: bool, msg: str = "") -> dict[str, Any]:
    return {"success": True} if allowed else {"success": False, "msg": msg}


def _showcase(data_dict: DataDict) -> Optional[Showcase]:
    showcase_id = data_dict.get("id")
    return model.Session.get(Showcase, showcase_id) if isinstance(showcase_id, str) else None


def may_see(user: Any, showcase: Showcase) -> bool:
    if showcase.state == "published":
        return True
    user = policy.user_object(user)
    return user is not None and (user.id == showcase.user_id or policy.is_authority(user))


def zaozhuang_showcase_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(policy.user_object(context.get("user")) is not None,
                  _("Log in to submit a showcase"))


@tk.auth_allow_anonymous_access
def zaozhuang_showcase_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    # A showcase that does not exist is the action's 404.
    showcase = _showcase(data_dict)
    return result(showcase is None or may_see(context.get("user"), showcase),
                  _("This showcase is not published"))


@tk.auth_allow_anonymous_access
def zaozhuang_showcase_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    scope = data_dict.get("scope", "published")
    user = policy.user_object(context.get("user"))
    if scope == "mine":
        return result(user is not None, _("Log in to see your showcases"))
    if scope == "review":
        return result(policy.is_authority(user),
                      _("Only the big-data authority reviews showcases"))
    return result(True)


def zaozhuang_showcase_review(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(policy.is_authority(context.get("user")),
                  _("Only the big-data authority reviews showcases"))


def zaozhuang_showcase_hide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(policy.is_authority(context.get("user")),
                  _("Only the big-data authority and sysadmins may hide showcases"))
