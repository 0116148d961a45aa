"""What the portal's access policy costs: package_show, package_search and a file download
through the full portal (ckanext-zaozhuang and its schema) against the same calls on stock
CKAN (no zaozhuang, scheming or dcat), on the same PostgreSQL, Solr and data.

Run with `make bench`. Each configuration runs in its own process (CKAN's plugins are global);
requests go through the WSGI app in-process, so the network does not blur the comparison.

Usage: python benchmarks/access_overhead.py [--rounds N]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTAL_INI = os.path.join(ROOT, "config", "test.ini")
STOCK_PLUGINS = "activity datastore datatables_view text_view image_view"
SITE_ID = "zaozhuang-bench"
DATASETS = 40


def _ini(plugins: str | None) -> str:
    """A config for the benchmark: the test services with a site id of its own, and
    optionally other plugins."""
    lines = ["[app:main]", f"use = config:{PORTAL_INI}", f"ckan.site_id = {SITE_ID}",
             "ckan.storage_path = " + os.path.join(ROOT, ".data", "bench-storage")]
    if plugins is not None:
        lines.append(f"ckan.plugins = {plugins}")
    handle, path = tempfile.mkstemp(suffix=".ini")
    with os.fdopen(handle, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def _app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    return make_app(load_config(ini)).test_client()


def prepare(ini: str) -> dict:
    """Publish the benchmark catalog through the portal (idempotent by name)."""
    from werkzeug.datastructures import FileStorage

    import ckan.plugins.toolkit as tk
    from ckanext.zaozhuang.schema.validators import credit_code_check_character

    app = _app(ini)
    with app.application.test_request_context():
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

        def site():  # CKAN contexts are not reusable: one per call
            return {"user": site_user, "ignore_auth": True}
        body = "11370400BENCH0001"
        code = body + credit_code_check_character(body)
        try:
            org = tk.get_action("organization_show")(site(), {"id": "bench-department"})
        except tk.ObjectNotFound:
            org = tk.get_action("organization_create")(site(), {
                "name": "bench-department", "title": "基准测试部门", "provider_code": code})
        user = "bench-user"
        try:
            tk.get_action("user_show")(site(), {"id": user})
        except tk.ObjectNotFound:
            tk.get_action("user_create")(site(), {"name": user, "email": "bench@example.org",
                                                "password": "bench-password-1"})
        token = tk.get_action("api_token_create")(site(), {"user": user, "name": "bench"})["token"]
        first = None
        for n in range(DATASETS):
            name = f"bench-{n:03d}"
            try:
                dataset = tk.get_action("package_show")(site(), {"id": name})
            except tk.ObjectNotFound:
                opening = ("unconditional", "conditional")[n % 2]
                dataset = tk.get_action("package_create")(site(), {
                    "name": name, "title": f"枣庄市公交基准数据 {n}", "owner_org": org["id"],
                    "catalog_code": f"{code}-{n:05d}", "notes": "公交线路基准测试数据",
                    "domain": "transport", "data_level": "general", "open_category": opening,
                    "open_conditions": "签署协议", "share_category": "unconditional",
                    "personal_info": "no", "update_frequency": "monthly",
                    "contact_name": "基准", "contact_phone": "0632-3230100"})
                upload = FileStorage(io.BytesIO("区县,数量\n市中区,1\n".encode()), filename="d.csv")
                tk.get_action("resource_create")(site(), {
                    "package_id": dataset["id"], "name": "数据", "url": "", "upload": upload,
                    "format": "CSV"})
                dataset = tk.get_action("package_show")(site(), {"id": name})
            if first is None:
                first = dataset
    return {"dataset": first["id"], "resource": first["resources"][0]["id"], "token": token}


def measure(ini: str, target: dict, rounds: int) -> dict:
    app = _app(ini)
    calls = {
        "package_show": f"/api/3/action/package_show?id={target['dataset']}",
        "package_search": "/api/3/action/package_search?q=%E5%85%AC%E4%BA%A4&rows=20",
        "download": f"/dataset/{target['dataset']}/resource/{target['resource']}/download/d.csv",
    }
    results = {}
    for who, headers in (("anonymous", {}), ("registered", {"Authorization": target["token"]})):
        for name, url in calls.items():
            timings = []
            for i in range(rounds + 10):
                start = time.perf_counter()
                response = app.get(url, headers=headers)
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, (name, response.status_code)
                response.close()
                if i >= 10:  # warm-up
                    timings.append(elapsed)
            results[f"{name} ({who})"] = statistics.median(timings)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--worker", choices=("prepare", "portal", "stock"))
    parser.add_argument("--target")
    args = parser.parse_args()

    if args.worker == "prepare":
        print(json.dumps(prepare(_ini(None))))
        return
    if args.worker:
        ini = _ini(None if args.worker == "portal" else STOCK_PLUGINS)
        print(json.dumps(measure(ini, json.loads(args.target), args.rounds)))
        return

    def run(*extra: str) -> dict:
        out = subprocess.run([sys.executable, __file__, *extra], check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    target = run("--worker", "prepare")
    portal = run("--worker", "portal", "--target", json.dumps(target), "--rounds", str(args.rounds))
    stock = run("--worker", "stock", "--target", json.dumps(target), "--rounds", str(args.rounds))
    print(f"{'call':34} {'stock ms':>9} {'portal ms':>10} {'ratio':>6}")
    for call in portal:
        print(f"{call:34} {stock[call] * 1000:9.2f} {portal[call] * 1000:10.2f} "
              f"{portal[call] / stock[call]:6.2f}")
    print(f"(median of {args.rounds} requests each, after 10 warm-up requests; "
          f"{DATASETS} datasets, half of them conditionally open)")


if __name__ == "__main__":
    main()
