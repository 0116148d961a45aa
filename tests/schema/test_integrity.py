"""Uniqueness lives in the database: requests racing over real HTTP for one catalog code or
one provider code leave exactly one winner, and every loser is told which field conflicts."""
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from ckan import model
from ckan.tests import factories

from tests.factories import Department, credit_code

RACERS = 10


def _race(url, token, action, payloads):
    def post(payload):
        response = requests.post(f"{url}/api/3/action/{action}", json=payload,
                                 headers={"Authorization": token}, timeout=120)
        return response.status_code, response.json()

    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(post, payloads))


def _dataset(n, department, code):
    return {"owner_org": department["id"], "name": f"race-{n}", "title": f"并发测试 {n}",
            "catalog_code": code, "notes": "并发创建", "domain": "transport",
            "data_level": "general", "open_category": "unconditional",
            "share_category": "unconditional", "personal_info": "no",
            "update_frequency": "monthly", "contact_name": "张三",
            "contact_phone": "0632-3230100"}


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_parallel_creates_with_one_catalog_code_make_one_dataset(live_server):
    editor = factories.User()
    department = Department(users=[{"name": editor["name"], "capacity": "editor"}])
    token = factories.APIToken(user=editor["name"])["token"]
    code = f"{department['provider_code']}-00042"
    answers = _race(live_server, token, "package_create",
                    [_dataset(n, department, code) for n in range(RACERS)])

    assert sorted(status for status, _ in answers).count(200) == 1, answers
    for status, body in answers:
        assert status in (200, 409), body
        if status == 409:
            assert "catalog_code" in body["error"], body
    model.Session.remove()
    holders = (model.Session.query(model.Package)
               .filter(model.Package.extras["catalog_code"].astext == code))
    assert holders.count() == 1


@pytest.mark.usefixtures("clean_db")
def test_parallel_departments_with_one_provider_code_make_one(live_server):
    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    code = credit_code(4242)
    answers = _race(live_server, token, "organization_create",
                    [{"name": f"race-department-{n}", "title": f"部门 {n}",
                      "provider_code": code} for n in range(RACERS)])

    assert sorted(status for status, _ in answers).count(200) == 1, answers
    assert all("provider_code" in body["error"] for status, body in answers if status != 200)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_parallel_creates_with_one_name_make_one_dataset(live_server):
    editor = factories.User()
    department = Department(users=[{"name": editor["name"], "capacity": "editor"}])
    token = factories.APIToken(user=editor["name"])["token"]
    answers = _race(live_server, token, "package_create", [
        dict(_dataset(0, department, f"{department['provider_code']}-{n:05d}"))
        for n in range(RACERS)])

    assert sorted(status for status, _ in answers).count(200) == 1, answers
    assert all("name" in body["error"] for status, body in answers if status != 200)
