"""Keeps the permission labels stored on a dataset's activities equal to the dataset's
labels today. CKAN stamps each activity with the labels of its moment, so without this a
dataset made not_open or private later would keep its former versions public in every
activity list."""
from __future__ import annotations

from ckan import model

from ckanext.zaozhuang.access import policy


def relabel_activities(dataset_id: str) -> None:
    try:
        from ckanext.activity.model import Activity
    except ImportError:  # the activity plugin is not installed
        return
    dataset = model.Package.get(dataset_id)
    if dataset is None:
        return
    (model.Session.query(Activity)
     .filter(Activity.object_id == dataset.id, Activity.activity_type.like("%package"))
     .update({Activity.permission_labels: policy.dataset_labels(dataset)},
             synchronize_session=False))
