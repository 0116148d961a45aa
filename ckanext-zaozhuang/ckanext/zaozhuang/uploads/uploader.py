"""CKAN's resource uploaders, checking what a file is and keeping its name.

CKAN asks for a resource uploader (IUploader) in package_update for every resource that
changes, whichever action, form or API call it came through, and before anything is
validated or written: a refusal there leaves nothing behind."""
from __future__ import annotations

import mimetypes
import os
from typing import Any, Optional

from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import files, uploader

from ckanext.zaozhuang.uploads import content, names


class _Checked:
    """Refuses a file whose bytes disagree with its declared format before CKAN's uploader
    takes it, and gives the resource the file's own name in place of CKAN's ASCII copy."""
    filename: Optional[str]
    mimetype: Optional[str]

    def __init__(self, resource: dict[str, Any]) -> None:
        upload = resource.get("upload")
        name = None
        if isinstance(upload, FileStorage) and upload.filename:
            refused = content.problem(upload.stream, [
                resource.get("format"), os.path.splitext(upload.filename)[1]])
            if refused:
                raise tk.ValidationError({"upload": [refused]})
            name = names.safe_filename(upload.filename)
        super().__init__(resource)  # type: ignore[call-arg]
        if resource.get("url_type") != "upload":
            return  # not an upload, or one replaced by a link
        if name:
            self.filename = resource["url"] = name
            if not self.mimetype and tk.config.get("ckan.mimetype_guess") == "file_ext":
                self.mimetype = mimetypes.guess_type(name)[0]
        elif resource.get("url"):
            # Given back as shown (a changed resource of package_update, resource_patch).
            resource["url"] = names.stored_name(resource["url"])


class ResourceUpload(_Checked, uploader.ResourceUpload):
    pass


class FKResourceUpload(_Checked, uploader.FKResourceUpload):
    pass


def resource_uploader(resource: dict[str, Any]) -> Any:
    # The same choice as CKAN's own: the configured storage, else files under storage_path.
    try:
        files.get_storage(tk.config["ckan.files.default_storages.resource"])
    except files.exc.UnknownStorageError:
        return ResourceUpload(resource)
    return FKResourceUpload(resource)


# Marks the uploads of the dict the search index keeps: their URL shows the stored name
# already (show_upload_name ran when the dataset was indexed). Never answered.
NAME_SHOWN = "_zaozhuang_name_shown"


def show_upload_name(resource: dict[str, Any]) -> None:
    """Put the stored name back into an uploaded resource's URL, where CKAN shows an ASCII
    copy of it. package_show answers from the search index without a query."""
    if resource.pop(NAME_SHOWN, False):
        return
    if resource.get("url_type") != "upload" or not resource.get("id"):
        return
    stored = model.Resource.get(resource["id"])
    if stored is not None and stored.url and resource.get("url"):
        resource["url"] = names.shown_url(resource["url"], stored.url)


def mark_names_shown(dataset: dict[str, Any]) -> None:
    """Mark the uploads of a dataset dict that passed show_upload_name, to be indexed."""
    for resource in dataset.get("resources") or []:
        if resource.get("url_type") == "upload":
            resource[NAME_SHOWN] = True


def unmark_names_shown(dataset: dict[str, Any]) -> None:
    """A search result is the indexed dict: the mark goes before it is answered."""
    for resource in dataset.get("resources") or []:
        resource.pop(NAME_SHOWN, None)
