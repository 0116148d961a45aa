"""Activities as the gate needs them. Keeps the permission labels stored on a dataset's
activities equal to the dataset's labels today. CKAN stamps each activity with the labels of its moment, so without this a
dataset made not_open or private later would keep its former versions public in every
activity list."""
from __future__ import annotations

from typing import Any, Optional

from ckan import model

from ckanext.zaozhuang.access import policy

try:
    from ckanext.activity.model import Activity
except ImportError:  # the activity plugin is not installed
    Activity = None


def activity_of(activity_id: str) -> Optional[Any]:
    return model.Session.get(Activity, activity_id) if Activity is not None else None


def relabel_activities(dataset_id: str) -> None:
    if Activity is None:
        return
    dataset = model.Package.get(dataset_id)
    if dataset is None:
        return
    (model.Session.query(Activity)
     .filter(Activity.object_id == dataset.id, Activity.activity_type.like("%package"))
     .update({Activity.permission_labels: policy.dataset_labels(dataset)},
             synchronize_session=False))
