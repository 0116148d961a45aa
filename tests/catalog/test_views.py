"""Downloading the catalog template and a department's catalog."""
import io

import openpyxl
import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.catalog import spreadsheet

from tests.factories import CatalogDataset


def _headers(content):
    return [c.header for c in spreadsheet.columns()], spreadsheet.read(content).headers


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestTemplate:
    def test_xlsx(self, app):
        response = app.get("/catalog/template.xlsx")
        assert response.headers["Content-Type"] == spreadsheet.MIMETYPES["xlsx"]
        assert "attachment" in response.headers["Content-Disposition"]
        assert "catalog-template.xlsx" in response.headers["Content-Disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.bytes))
        expected, found = _headers(response.bytes)
        assert found == expected
        assert len(book.worksheets) == 3

    def test_csv(self, app):
        response = app.get("/catalog/template.csv")
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.bytes.startswith(b"\xef\xbb\xbf")
        expected, found = _headers(response.bytes)
        assert found == expected

    def test_other_formats_not_found(self, app):
        app.get("/catalog/template.pdf", status=404)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDepartmentCatalog:
    def test_public_datasets(self, app):
        dataset = CatalogDataset(title="枣庄市公交线路信息")
        CatalogDataset(title="私有的数据集", owner_org=dataset["owner_org"], private=True)
        CatalogDataset(title="别的部门的数据集")
        org = call_action("organization_show", id=dataset["owner_org"])

        response = app.get(f"/organization/{org['name']}/catalog.xlsx")
        assert f"catalog-{org['name']}.xlsx" in response.headers["Content-Disposition"]
        rows = spreadsheet.read(response.bytes).rows
        assert [cells["资源名称"] for _n, cells in rows] == ["枣庄市公交线路信息"]
        assert rows[0][1]["资源代码"] == dataset["catalog_code"]

    def test_members_also_get_private_datasets(self, app):
        dataset = CatalogDataset(title="私有的数据集", private=True)
        member = factories.User()
        call_action("organization_member_create", id=dataset["owner_org"],
                    username=member["name"], role="member")
        token = factories.APIToken(user=member["name"])["token"]

        response = app.get(f"/organization/{dataset['owner_org']}/catalog.csv",
                           headers={"Authorization": token})
        rows = spreadsheet.read(response.bytes).rows
        assert [cells["资源名称"] for _n, cells in rows] == ["私有的数据集"]
        anonymous = app.get(f"/organization/{dataset['owner_org']}/catalog.csv")
        assert spreadsheet.read(anonymous.bytes).rows == []

    def test_unknown_department(self, app):
        app.get("/organization/no-such-department/catalog.xlsx", status=404)
