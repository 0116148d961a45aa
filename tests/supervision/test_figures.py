"""The supervision figures, checked against what the real actions did: publishing, applying,
deciding, signing, revoking; and who may see them, through real auth."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests.helpers import call_action

from tests.applications.world import world  # noqa: F401 (fixture)
from tests.factories import CatalogDataset
from tests.front.test_home import english_words


@pytest.fixture
def supervised(world):  # noqa: F811
    for state in ("submitted", "returned", "active", "rejected", "revoked"):
        world.in_state(state)
    # Published long ago and never updated: overdue for its monthly update.
    CatalogDataset(owner_org=world.provider["id"], last_updated="2020-01-01")
    return world


def _figures(world, role, **data):
    return world.act(role, "supervision_figures", **data)


def _row(result, org):
    return next(row for row in result["departments"] if row["id"] == org["id"])


@pytest.mark.usefixtures("with_request_context")
class TestFigures:
    def test_each_figure_counts_what_the_actions_did(self, supervised):
        row = _row(_figures(supervised, "authority"), supervised.provider)
        assert {k: row[k] for k in ("datasets", "with_data", "unconditional", "conditional",
                                    "not_open", "overdue")} == {
            "datasets": 3, "with_data": 1, "unconditional": 2, "conditional": 1,
            "not_open": 0, "overdue": 1}
        assert (row["with_data_rate"], row["open_rate"]) == (0.3333, 1.0)
        assert row["on_time_rate"] == 0.6667
        # submitted, returned, approved and signed, rejected, approved, signed and revoked
        assert {k: row[k] for k in ("applications", "pending", "returned", "decided",
                                    "decided_on_time", "rejected")} == {
            "applications": 5, "pending": 1, "returned": 1, "decided": 3,
            "decided_on_time": 3, "rejected": 1}
        assert (row["grants_active"], row["grants_expired"], row["grants_revoked"]) == (1, 0, 1)

    def test_the_city_is_the_sum_of_the_departments(self, supervised):
        result = _figures(supervised, "authority")
        assert result["city"]["datasets"] == sum(r["datasets"] for r in result["departments"])
        assert result["city"]["applications"] == 5
        other = _row(result, supervised.other_department)
        assert (other["datasets"], other["applications"], other["with_data_rate"]) == (0, 0, None)

    def test_a_withdrawn_application_or_a_draft_is_not_received(self, world):  # noqa: F811
        world.in_state("draft")
        world.in_state("withdrawn")
        row = _row(_figures(world, "authority"), world.provider)
        assert row["applications"] == 0

    def test_a_department_admin_sees_only_their_department(self, supervised):
        result = _figures(supervised, "provider_admin")
        assert [r["id"] for r in result["departments"]] == [supervised.provider["id"]]
        assert "city" not in result
        with pytest.raises(tk.NotAuthorized):
            _figures(supervised, "provider_admin", organization_id=supervised.other_department["id"])

    @pytest.mark.parametrize("role", ["anonymous", "applicant", "provider_member",
                                      "provider_editor"])
    def test_no_one_else(self, supervised, role):
        with pytest.raises(tk.NotAuthorized):
            _figures(supervised, role)

    @pytest.mark.parametrize("value, error", [
        (["x"], tk.ValidationError), ({"a": 1}, tk.ValidationError),
        ("no-such-department", tk.ObjectNotFound), ("x\x00", tk.ValidationError)])
    def test_bad_department(self, supervised, value, error):
        with pytest.raises(error):
            _figures(supervised, "authority", organization_id=value)


class TestPage:
    def test_the_authority_sees_the_tables_and_the_chart(self, supervised, app):
        token = call_action("api_token_create", user=supervised.name("authority"),
                            name="监督")["token"]
        response = app.get("/supervision", headers={"Authorization": token})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert supervised.provider["title"] in body and "全市合计" in body
        assert 'data-module="zz-supervision-chart"' in body
        assert english_words(body, [supervised.name("authority"), "authority"]) == set()

    @pytest.mark.parametrize("role", ["anonymous", "applicant"])
    def test_others_are_refused(self, supervised, app, role):
        headers = {}
        if role != "anonymous":
            headers["Authorization"] = call_action(
                "api_token_create", user=supervised.name(role), name="监督")["token"]
        assert app.get("/supervision", headers=headers).status_code == 403
