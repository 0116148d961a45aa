"""Who may list the vocabularies."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def zaozhuang_vocabulary_list(context, data_dict):
    # Anyone: the codes and labels are the published schema.
    return {"success": True}


@tk.auth_allow_anonymous_access
def zaozhuang_property_list(context, data_dict):
    # Anyone: the published schema, as the vocabularies.
    return {"success": True}
