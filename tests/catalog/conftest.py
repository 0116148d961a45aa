"""Fixtures of the catalog spreadsheet tests: the demo departments (whose provider codes the
sample spreadsheets use) and the sample files."""
import os

import pytest
import yaml

from ckan import model
from ckan.tests import factories

import ckanext.zaozhuang.demo
from tests.factories import Department

DATA = os.path.join(os.path.dirname(__file__), "data")
SAMPLE = os.path.join(DATA, "sample_catalog.xlsx")
BROKEN = os.path.join(DATA, "sample_catalog_broken.xlsx")
SAMPLE_ROWS = 54
# Row number and column of each deliberate error in the broken sample.
BROKEN_CELLS = {
    (4, "联系电话"),      # a seven-digit telephone number
    (13, "资源代码"),     # another department's provider code
    (22, "开放条件"),     # conditionally open without conditions
    (31, "数据领域"),     # a domain that is not in the vocabulary
    (40, "时间范围止"),   # temporal coverage ending before it starts
    (49, "信息项"),       # an English item name with a space
}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def transport_row(**changes):
    """One valid row of the transport department, as the API's `rows` take it."""
    return dict({
        "资源代码": "11370400MB28531020-00901", "资源名称": "枣庄市停车场信息",
        "资源摘要": "全市公共停车场名称、位置和泊位数。", "提供单位": "枣庄市交通运输局",
        "数据领域": "交通运输", "数据分级": "一般数据", "开放属性": "无条件开放",
        "共享属性": "无条件共享", "是否涉及个人信息": "否", "更新频率": "每月",
        "联系人": "王静", "联系电话": "0632-3317001",
    }, **changes)


def dataset_count():
    return model.Session.query(model.Package).filter(model.Package.state != "deleted").count()


@pytest.fixture
def departments():
    """The demo departments, by name, with the titles and provider codes of demo/catalog.yaml."""
    path = os.path.join(os.path.dirname(ckanext.zaozhuang.demo.__file__), "catalog.yaml")
    with open(path, encoding="utf-8") as f:
        catalog = yaml.safe_load(f)
    return {org["name"]: Department(name=org["name"], title=org["title"],
                                    provider_code=org["provider_code"])
            for org in catalog["organizations"]}


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()
