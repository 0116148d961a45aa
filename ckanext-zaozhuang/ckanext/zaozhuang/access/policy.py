"""The access policy: who may see the metadata and who may get the data of each dataset.

Every path into the portal's data asks this module; no rule is written anywhere else."""
from __future__ import annotations

from typing import Optional

import ckan.plugins.toolkit as tk
from ckan import authz, model


def authority_organization() -> str:
    return tk.config.get("ckanext.zaozhuang.authority_organization")


def is_authority(user: Optional[model.User]) -> bool:
    """The big-data authority (市大数据局): sysadmins and the admins and editors of the
    supervising organization."""
    if user is None:
        return False
    if user.sysadmin:
        return True
    role = authz.users_role_for_group_or_org(authority_organization(), user.name)
    return role in ("admin", "editor")
