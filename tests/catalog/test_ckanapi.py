"""The README's publishing walkthrough with ckanapi, run as written against a live portal."""
import json
import os
import subprocess
import sys

import pytest
import requests

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import Department

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CKANAPI = os.path.join(os.path.dirname(sys.executable), "ckanapi")


@pytest.fixture
def publisher():
    user = factories.User(name="wangjing")
    Department(name="zz-jtysj", title="枣庄市交通运输局", provider_code="11370400MB28531020",
               users=[{"name": user["name"], "capacity": "editor"}])
    return call_action("api_token_create", {"user": user["name"]}, user=user["name"],
                       name="ckanapi")["token"]


def ckanapi(url, token, *args):
    return subprocess.run([CKANAPI, *args, "-r", url, "-a", token], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_walkthrough(live_server, publisher):
    created = ckanapi(
        live_server, publisher, "action", "package_create",
        "name=zz-bus-stops-shizhong", "title=市中区公交站点", "owner_org=zz-jtysj",
        "catalog_code=11370400MB28531020-00200", "notes=市中区公交站点名称和位置。",
        "domain=transport", "data_level=general", "open_category=unconditional",
        "share_category=unconditional", "personal_info=no", "update_frequency=monthly",
        "contact_name=王静", "contact_phone=0632-3317001", 'spatial_coverage:["370402"]',
        "last_updated=2026-11-20")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["spatial_coverage"] == ["370402"]

    uploaded = ckanapi(
        live_server, publisher, "action", "resource_create",
        "package_id=zz-bus-stops-shizhong", "name=站点表", "format=CSV",
        "upload@examples/bus_stops_shizhong.csv")
    assert uploaded.returncode == 0, uploaded.stderr
    resource = json.loads(uploaded.stdout)
    download = requests.get(
        f"{live_server}/dataset/zz-bus-stops-shizhong/resource/{resource['id']}/download/"
        "bus_stops_shizhong.csv", timeout=30)
    assert download.status_code == 200
    assert "龙潭公园" in download.content.decode("utf-8")

    loaded = ckanapi(live_server, publisher, "load", "datasets",
                     "-I", "examples/datasets.jsonl")
    assert loaded.returncode == 0, loaded.stderr + loaded.stdout
    parking = call_action("package_show", id="zz-parking-lots")
    assert [i["name_en"] for i in parking["data_dictionary"]] == ["name", "spaces"]
    taxi = call_action("package_show", id="zz-taxi-stands")
    assert taxi["resources"][0]["resource_type"] == "api"

    again = ckanapi(live_server, publisher, "load", "datasets", "-I", "examples/datasets.jsonl")
    assert again.returncode == 0
    # Updated, not duplicated (the search also finds, by synonyms, datasets of 泊位 or 车位).
    found = call_action("package_search", q="停车场")["results"]
    assert [d["title"] for d in found if "停车场" in d["title"]] == [parking["title"]]

    refused = ckanapi(live_server, publisher, "action", "package_create",
                      "name=zz-broken", "title=错误示例", "owner_org=zz-jtysj",
                      "contact_phone=123")
    assert refused.returncode != 0
    assert "contact_phone" in refused.stderr + refused.stdout
