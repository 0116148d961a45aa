"""Hiding abusive entries of the public (data requests, error reports): hidden from the
public with the reason, the decision recorded in the access log."""
from __future__ import annotations

from typing import Any, Optional

from ckan import model

from ckanext.zaozhuang.access import log


def hide(row: Any, reason: str, user: Optional[model.User], event: str,
         dataset_id: Optional[str], **detail: Any) -> None:
    row.hidden = True
    row.hidden_reason = reason
    log.record_decision(event, user, dataset_id, row.organization_id, reason=reason, **detail)
    model.repo.commit()
