"""Text that shows nothing (spaces of any kind, zero-width characters, a byte-order mark):
an optional field given it is stored empty, a required one refuses it by name, in Chinese.
Through the actions as the department's and the citizen's own users."""
import pytest

from ckan import model
from ckan.logic import ValidationError
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.participation.demand.model import DataRequest
from tests.participation.world import world  # noqa: F401 (fixture)

BLANKS = [" ", "\u3000", " \t\n", "\u200b", "\ufeff\u3000\u200d", "\u2060 \u200e"]
# Optional free text of the dataset schema (CKAN's own unused fields among them).
OPTIONAL_DATASET_TEXT = ["source_system", "metadata_maintainer", "author", "maintainer"]


def _as(world, role):
    return {"user": world.name(role), "ignore_auth": False}


def _errors(call):
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.error_dict


@pytest.mark.usefixtures("with_request_context")
class TestBlankText:
    @pytest.mark.parametrize("blank", BLANKS)
    def test_optional_dataset_text_is_stored_empty(self, world, blank):
        updated = call_action("package_patch", _as(world, "dept_editor"), id=world.dataset["id"],
                              **{field: blank for field in OPTIONAL_DATASET_TEXT})
        assert {field: updated.get(field) for field in OPTIONAL_DATASET_TEXT} == \
            {field: "" for field in OPTIONAL_DATASET_TEXT}

    @pytest.mark.parametrize("field", ["title", "notes", "contact_name"])
    @pytest.mark.parametrize("blank", ["\u200b", "\ufeff\u3000", "\u200e\u200f"])
    def test_required_dataset_text_refuses_invisible_text(self, world, field, blank):
        errors = _errors(lambda: call_action("package_patch", _as(world, "dept_editor"),
                                             id=world.dataset["id"], **{field: blank}))
        assert errors[field] == ["缺少值"]
        shown = call_action("package_show", _as(world, "dept_editor"), id=world.dataset["id"])
        assert shown[field] == world.dataset[field]

    @pytest.mark.parametrize("blank", BLANKS)
    def test_resource_description_is_stored_empty(self, world, blank):
        resource = call_action("resource_create", _as(world, "dept_editor"),
                               package_id=world.dataset["id"], name="站点表",
                               url="http://example.com/b.csv", format="CSV", description=blank)
        assert resource["description"] == ""

    def test_resource_name_refuses_invisible_text(self, world):
        errors = _errors(lambda: call_action(
            "resource_create", _as(world, "dept_editor"), package_id=world.dataset["id"],
            name="\u200b\u3000", url="http://example.com/b.csv", format="CSV"))
        assert errors["name"] == ["缺少值"]
        shown = call_action("package_show", _as(world, "dept_editor"), id=world.dataset["id"])
        assert len(shown["resources"]) == len(world.dataset["resources"])

    @pytest.mark.parametrize("blank", BLANKS)
    def test_department_description_is_stored_empty(self, world, blank):
        updated = call_action("organization_patch", _as(world, "dept_admin"),
                              id=world.department["id"], description=blank)
        assert updated["description"] == ""

    def test_department_description_refuses_a_list(self, world):
        errors = _errors(lambda: call_action("organization_patch", _as(world, "dept_admin"),
                                             id=world.department["id"], description=["a"]))
        assert "description" in errors

    def test_data_request_title_refuses_invisible_text(self, world):
        errors = _errors(lambda: world.act("citizen", "request_create", title="\u200b\u3000",
                                           description="希望开放公交实时到站数据"))
        assert errors["title"] == ["缺少值"]
        assert world.act("citizen", "request_list", scope="mine")["count"] == 0

    def test_data_request_optional_text_is_unanswered(self, world):
        created = world.act("citizen", "request_create", title="公交实时到站",
                            description="希望开放公交实时到站数据", contact_phone="\u3000\u200b")
        assert model.Session.get(DataRequest, created["id"]).contact_phone in (None, "")

    def test_rating_comment_of_invisible_text_is_no_comment(self, world):
        own = world.act("citizen", "rating_set", dataset_id=world.dataset["id"], stars=4,
                        comment="\u200b\u3000 ")["own"]
        assert own["comment"] is None

    @pytest.mark.parametrize("blank", [" ", "\u3000\u200b"])
    def test_a_blank_select_takes_its_default(self, world, blank):
        updated = call_action("package_patch", _as(world, "dept_editor"), id=world.dataset["id"],
                              secrecy=blank)
        assert updated["secrecy"] == "non_secret"
        resource = call_action("resource_create", _as(world, "dept_editor"),
                               package_id=world.dataset["id"], name="站点表",
                               url="http://example.com/b.csv", format="CSV", resource_type=blank)
        assert resource["resource_type"] == "file"
