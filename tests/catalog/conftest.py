"""Fixtures of the catalog spreadsheet tests: the demo departments (whose provider codes the
sample spreadsheets use) and the sample files."""
import os

import pytest
import yaml

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
