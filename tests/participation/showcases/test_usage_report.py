"""A grant holder's usage report (利用情况反馈) may point to the holder's own showcase."""
import pytest

import ckan.plugins.toolkit as tk

from tests.applications import world as applications


@pytest.fixture
def holder(with_plugins, clean_db):
    return applications.build()


def _showcase(world, role):
    return world.act(role, "showcase_create", title="企业信用风险看板", kind="app",
                     description="基于企业信用评价信息", link=f"https://example.com/{role}",
                     dataset_ids=[world.open_dataset["id"]])


def test_a_usage_report_points_to_the_holders_showcase(holder, app):
    grant_app = holder.in_state("active")
    grant = holder.act("applicant", "grant_list", application_id=grant_app["id"])[0]
    own = _showcase(holder, "applicant")
    other = _showcase(holder, "other_user")
    for showcase_id in (other["id"], "no-such-showcase", ["x"]):
        with pytest.raises(tk.ValidationError) as error:
            holder.act("applicant", "usage_report_create", grant_id=grant["id"],
                       usage="信用模型训练", results="看板一个", showcase_id=showcase_id)
        assert "showcase_id" in error.value.error_dict
    report = holder.act("applicant", "usage_report_create", grant_id=grant["id"],
                        usage="信用模型训练", results="看板一个", showcase_id=own["id"])
    assert report["showcase_id"] == own["id"]
    listed = holder.act("provider_admin", "usage_report_list", grant_id=grant["id"],
                        scope="review")
    assert [r["showcase_id"] for r in listed] == [own["id"]]
