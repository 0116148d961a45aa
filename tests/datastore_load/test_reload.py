"""A loaded table is loaded again by the real job worker when what it was loaded by changes: the
dataset's data dictionary or the resource's sheet; not on an unrelated edit."""
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from tests.applications.mailbox import run_jobs
from tests.datastore_load.test_types import BOOK, ODD_SHEET, table, typed_dataset, upload

COUNTS = "区县,数量\n市中区,\"1,200\"\n滕州市,35\n".encode()


def dictionary(count_type):
    return [{"name_zh": "区县", "name_en": "area", "type": "string"},
            {"name_zh": "数量", "name_en": "count", "type": count_type}]


def xloader_jobs() -> int:
    return sum(job.func_name.endswith(".xloader_data_into_datastore")
               for job in jobs.get_queue().get_jobs())


def test_a_changed_type_in_the_dictionary_retypes_the_column(publisher, department):
    dataset = typed_dataset(department, publisher, dictionary("string"))
    resource = upload(publisher, dataset, COUNTS)
    run_jobs()
    assert table(resource["id"])[0] == {"区县": "text", "数量": "text"}

    call_action("package_patch", {"user": publisher["name"]}, id=dataset["id"],
                data_dictionary=dictionary("integer"))
    assert xloader_jobs() == 1
    run_jobs()
    fields, records = table(resource["id"])
    assert fields == {"区县": "text", "数量": "int8"}
    assert [r["数量"] for r in records] == [1200, 35]

    # Back to text: the column follows the dictionary again.
    call_action("package_patch", {"user": publisher["name"]}, id=dataset["id"],
                data_dictionary=dictionary("string"))
    run_jobs()
    assert table(resource["id"])[0] == {"区县": "text", "数量": "text"}


def test_a_renamed_data_item_no_longer_types_its_old_column(publisher, department):
    dataset = typed_dataset(department, publisher, dictionary("integer"))
    resource = upload(publisher, dataset, COUNTS)
    run_jobs()
    assert table(resource["id"])[0]["数量"] == "int8"
    renamed = dictionary("integer")
    renamed[1] = dict(renamed[1], name_zh="户数", name_en="households")
    call_action("package_patch", {"user": publisher["name"]}, id=dataset["id"],
                data_dictionary=renamed)
    run_jobs()
    assert table(resource["id"])[0]["数量"] == "text"


def test_an_unrelated_edit_loads_nothing(publisher, department):
    dataset = typed_dataset(department, publisher, dictionary("integer"))
    resource = upload(publisher, dataset, COUNTS)
    run_jobs()
    call_action("package_patch", {"user": publisher["name"]}, id=dataset["id"],
                notes="更新了说明")
    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                description="各区县数量")
    assert xloader_jobs() == 0


def test_a_value_that_does_not_convert_is_not_loaded_again_and_again(publisher, department):
    """A column the dictionary types but whose values stay text is in step: edits of the
    dataset do not reload it."""
    dataset = typed_dataset(department, publisher, dictionary("integer"))
    upload(publisher, dataset, "区县,数量\n市中区,不详\n".encode())
    run_jobs()
    call_action("package_patch", {"user": publisher["name"]}, id=dataset["id"],
                notes="更新了说明")
    assert xloader_jobs() == 0


def test_a_changed_sheet_loads_the_other_sheet(publisher, department):
    dataset = typed_dataset(department, publisher, [])
    resource = upload(publisher, dataset, BOOK, "登记.xlsx", "XLSX")
    run_jobs()
    assert list(table(resource["id"])[0]) == ["本表说明"]

    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                sheet=ODD_SHEET)
    assert xloader_jobs() == 1
    run_jobs()
    fields, records = table(resource["id"])
    assert list(fields) == ["区县", "数量", "日期"]
    assert [r["区县"] for r in records] == ["市中区", "滕州市"]

    # The same sheet again, however written: nothing to load.
    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                sheet=f" {ODD_SHEET} ")
    assert xloader_jobs() == 0


def test_a_link_is_not_loaded_when_its_sheet_changes(publisher, department):
    dataset = typed_dataset(department, publisher, [])
    link = call_action("resource_create", {"user": publisher["name"]},
                       package_id=dataset["id"], name="外部工作簿", format="XLSX",
                       url="http://127.0.0.1:9/book.xlsx")
    call_action("resource_patch", {"user": publisher["name"]}, id=link["id"], sheet="汇总")
    assert xloader_jobs() == 0
