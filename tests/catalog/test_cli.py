"""`ckan zaozhuang catalog import|export` through CKAN's own command line."""
import re

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.catalog import spreadsheet

from tests.catalog.conftest import BROKEN, BROKEN_CELLS, SAMPLE, SAMPLE_ROWS, read
from tests.catalog.conftest import dataset_count as _count

# 第N行 [列名]: 消息 (Row N [column]: message before the catalog is compiled).
PROBLEM_LINE = re.compile(r"^(?:第(\d+)行|Row (\d+)) \[(.+?)\]: .+$")


def _run(cli, *args):
    return cli.invoke(ckan, ["zaozhuang", "catalog", *args])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestImport:
    def test_sample(self, cli, departments):
        result = _run(cli, "import", SAMPLE)
        assert result.exit_code == 0, result.output
        assert str(SAMPLE_ROWS) in result.output
        assert _count() == SAMPLE_ROWS

    def test_every_error_printed_and_nothing_written(self, cli, departments):
        result = _run(cli, "import", BROKEN)
        assert result.exit_code == 1
        cells = set()
        for line in result.output.splitlines():
            match = PROBLEM_LINE.match(line)
            assert match, line
            cells.add((int(match[1] or match[2]), match[3]))
        assert cells == BROKEN_CELLS
        assert _count() == 0

    def test_dry_run(self, cli, departments):
        result = _run(cli, "import", SAMPLE, "--dry-run")
        assert result.exit_code == 0, result.output
        assert str(SAMPLE_ROWS) in result.output
        assert _count() == 0

    def test_second_run_creates_nothing(self, cli, departments):
        _run(cli, "import", SAMPLE)
        result = _run(cli, "import", SAMPLE)
        assert result.exit_code == 0, result.output
        assert re.findall(r"\d+", result.output) == ["0", "0", str(SAMPLE_ROWS)]
        assert _count() == SAMPLE_ROWS

    def test_org_refuses_other_departments_rows(self, cli, departments):
        result = _run(cli, "import", SAMPLE, "--org", "zz-jtysj")
        assert result.exit_code == 1
        assert "[提供单位]" in result.output
        assert _count() == 0

    def test_user_without_rights(self, cli, departments):
        user = factories.User()
        result = _run(cli, "import", SAMPLE, "--org", "zz-jtysj", "--user", user["name"])
        assert result.exit_code == 1
        assert _count() == 0

    def test_editor(self, cli, departments, tmp_path):
        editor = factories.User()
        call_action("organization_member_create", id="zz-wsjkw", username=editor["name"],
                    role="editor")
        rows = [spreadsheet.to_row({"title": "枣庄市预防接种门诊信息",
                                    "catalog_code": "11370400MB28531046-00901",
                                    "notes": "门诊名称和地址。", "domain": "health",
                                    "data_level": "general", "open_category": "unconditional",
                                    "share_category": "unconditional", "personal_info": "no",
                                    "update_frequency": "irregular", "contact_name": "刘芳",
                                    "contact_phone": "0632-3319008"})]
        path = tmp_path / "wsjkw.csv"
        path.write_bytes(spreadsheet.write(rows, "csv"))
        result = _run(cli, "import", str(path), "--org", "zz-wsjkw", "--user", editor["name"])
        assert result.exit_code == 0, result.output
        assert _count() == 1

    def test_missing_file(self, cli):
        assert _run(cli, "import", "/nonexistent/catalog.xlsx").exit_code != 0


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestExport:
    def test_round_trip(self, cli, departments, tmp_path):
        _run(cli, "import", SAMPLE)
        for fmt in spreadsheet.FORMATS:
            path = tmp_path / f"catalog.{fmt}"
            result = _run(cli, "export", str(path))
            assert result.exit_code == 0, result.output
            assert len(spreadsheet.read(path.read_bytes()).rows) == SAMPLE_ROWS
            again = _run(cli, "import", str(path))
            assert re.findall(r"\d+", again.output) == ["0", "0", str(SAMPLE_ROWS)]

    def test_one_department(self, cli, departments, tmp_path):
        _run(cli, "import", SAMPLE)
        path = tmp_path / "zz-zrzyj.xlsx"
        assert _run(cli, "export", str(path), "--org", "zz-zrzyj").exit_code == 0
        rows = spreadsheet.read(read(path)).rows
        assert {cells["提供单位"] for _n, cells in rows} == {"枣庄市自然资源和规划局"}
        assert len(rows) == 9

    def test_unknown_extension(self, cli, tmp_path):
        result = _run(cli, "export", str(tmp_path / "catalog.pdf"))
        assert result.exit_code != 0
        assert not (tmp_path / "catalog.pdf").exists()

    def test_unknown_department(self, cli, tmp_path):
        result = _run(cli, "export", str(tmp_path / "x.xlsx"), "--org", "no-such-department")
        assert result.exit_code == 1
        assert not (tmp_path / "x.xlsx").exists()
