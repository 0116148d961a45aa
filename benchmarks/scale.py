"""The portal beside stock CKAN on a city-scale catalog.

Builds once (idempotent, in config/bench.ini's own databases) a catalog of DATASETS datasets
from the judged catalog of tests/search/judged/ (its departments, titles and places, varied by
year and district; 70% unconditionally open, 20% conditionally, 10% not open) and
APPLICATIONS applications, then measures the same requests on two configurations over the same
PostgreSQL, Solr index and files:
- portal: the site as configured (ckanext-zaozhuang, scheming, dcat and the rest);
- stock: CKAN with ckanext-dcat and the core plugins only (no zaozhuang, no scheming).

Each configuration runs in a process of its own (CKAN's plugins are global) and the parent
asks them in turn for blocks of requests, so a change in the machine's load between blocks
falls on both alike; requests go through the WSGI app in-process. p50 and p95 are over all
blocks. The reviewer queue exists only in the portal: it is measured against itself, the
department with APPLICATIONS applications beside one with 100.

`--load` also serves both configurations with gunicorn, as `make run` and the production image
do, and drives each in turn with 16 and 64 concurrent anonymous clients on a mix of pages.

`--import-rows N` times a background catalog import of N rows (`ckan zaozhuang catalog import
--background` with a job worker) beside `ckanapi load datasets` of N datasets alike, into a
department of its own that is emptied first.

`--load-rows N` is measured alone (no catalog is built): an N-row CSV of a department's
register (sequence number, ID-card number, telephone, a date as 2024年1月5日, an amount with a
thousands separator) is uploaded to a dataset whose data dictionary types three of its five
columns, served by gunicorn and loaded by a `ckan jobs worker` (ckanext-xloader with the
portal's typing); the load's time is the job's own, from its first to its last log line
(fetching the file, COPY, search index, typing, column indexes). The same file is then copied
with a plain PostgreSQL `COPY` into a table of five text columns in the same DataStore
database, and the ratio printed.

Usage: make bench [ARGS="--datasets 10000 --applications 10000 --load --import-rows 2000"]
       make bench ARGS="--load-rows 1000000"
"""
from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_INI = os.path.join(ROOT, "config", "bench.ini")
JUDGED = os.path.join(ROOT, "tests", "search", "judged", "catalog.yaml")
STOCK_PLUGINS = "dcat activity datastore datatables_view text_view image_view"
# Years and places that turn each judged dataset into a city's worth of catalog entries.
YEARS = range(2026, 2009, -1)
PLACES = {"370400": "枣庄市", "370402": "市中区", "370403": "薛城区", "370404": "峄城区",
          "370405": "台儿庄区", "370406": "山亭区", "370481": "滕州市"}
SMALL_QUEUE = 100
APPLICANTS = 100
GRANTS = 20
BLOCKS, BLOCK = 10, 20
FACETS = '["organization","res_format","tags","license_id"]'


def _ini(plugins: str | None, **options: str) -> str:
    """The benchmark's config, with other plugins and options when given."""
    lines = ["[app:main]", f"use = config:{BENCH_INI}"]
    if plugins is not None:
        lines.append(f"ckan.plugins = {plugins}")
    if plugins == STOCK_PLUGINS:
        # The portal's config names its own DCAT profile; stock CKAN uses ckanext-dcat's
        # DCAT-AP 2 (its DCAT-AP 3 profile expects the scheming fields of ckanext-dcat's own
        # schemas and fails on other records).
        lines.append("ckanext.dcat.rdf.profiles = euro_dcat_ap_2")
    lines.extend(f"{key} = {value}" for key, value in options.items())
    handle, path = tempfile.mkstemp(suffix=".ini")
    with os.fdopen(handle, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def _app(ini: str, **options: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    config = load_config(ini)
    config.update(options)
    return make_app(config)


def _catalog(count: int) -> tuple[list[dict], list[dict]]:
    """The departments and `count` dataset descriptions varied from the judged catalog."""
    with open(JUDGED, encoding="utf-8") as f:
        judged = yaml.safe_load(f)
    seeds = judged["datasets"]
    datasets = []
    for n in range(count):
        seed = seeds[n % len(seeds)]
        variant = n // len(seeds)
        year = YEARS[variant % len(YEARS)]
        code = list(PLACES)[(variant // len(YEARS)) % len(PLACES)]
        name = seed["name"] if variant == 0 else f"{seed['name']}-{year}-{code}"
        title = seed["title"] if variant == 0 else f"{year}年{PLACES[code]}{seed['title']}"
        opening = ("unconditional",) * 7 + ("conditional",) * 2 + ("not_open",)
        datasets.append({**seed, "name": name[:100], "title": title,
                         "places": [code] if variant else seed["places"],
                         "opening": opening[n % 10]})
    return judged["departments"], datasets


def prepare(datasets: int, applications: int) -> dict:
    """Publish the catalog and the applications through the portal's actions (idempotent:
    what exists is kept), and return what the measurements request."""
    from werkzeug.datastructures import FileStorage

    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.lib import jobs, search
    from ckanext.zaozhuang.agreements.demo import SAMPLE_BODY, SAMPLE_TITLE
    from ckanext.zaozhuang.schema.validators import credit_code_check_character

    # Solr commits once at the end instead of after every dataset.
    app = _app(_ini(None), **{"ckan.search.solr_commit": "false"}).test_client()
    with app.application.test_request_context():
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

        def act(action, who=site_user, /, **data):
            # CKAN contexts are not reusable: one per call. The site user is the sysadmin
            # that publishes; the applicants and reviewers act as themselves.
            return tk.get_action(action)({"user": who, "ignore_auth": who == site_user}, data)

        def ensure(show, create, **data):
            try:
                return act(show, id=data["name"])
            except tk.ObjectNotFound:
                return act(create, **data)

        departments, entries = _catalog(datasets)
        orgs = {}
        for n, d in enumerate(departments):
            body = f"11370400MB{n:07d}"
            orgs[d["name"]] = ensure("organization_show", "organization_create",
                                     name=d["name"], title=d["title"], alias=d["alias"],
                                     provider_code=body + credit_code_check_character(body))
        users = {}
        for role in ["applicant", "reviewer-big", "reviewer-small",
                     *(f"applicant-{n:03d}" for n in range(APPLICANTS))]:
            users[role] = ensure("user_show", "user_create", name=f"bench-{role}",
                                 email=f"bench-{role}@example.org",
                                 password="bench-password-1")["name"]
        # The department whose queue is long, and the one whose queue is short.
        big, small = departments[1]["name"], departments[2]["name"]
        for org, role in ((big, "reviewer-big"), (small, "reviewer-small")):
            act("organization_member_create", id=org, username=users[role], role="admin")

        existing = {name for (name,) in model.Session.query(model.Package.name)}
        codes: dict[str, int] = {}
        started = time.monotonic()
        for n, d in enumerate(entries):
            codes[d["org"]] = codes.get(d["org"], 0) + 1
            if d["name"] in existing:
                continue
            fields = {"open_category": d["opening"]}
            if d["opening"] == "conditional":
                fields["open_conditions"] = "须签署数据利用协议"
            if d["opening"] == "not_open":
                fields["not_open_basis"] = "依据《个人信息保护法》不予开放"
            act("package_create", name=d["name"], title=d["title"], notes=d["notes"],
                owner_org=orgs[d["org"]]["id"], domain=d["domain"],
                theme=d.get("theme", []), spatial_coverage=[str(p) for p in d["places"]],
                tags=[{"name": t} for t in d.get("tags", [])],
                catalog_code=f"{orgs[d['org']]['provider_code']}-{codes[d['org']]:05d}",
                data_level="general", share_category="unconditional", personal_info="no",
                update_frequency="monthly", contact_name="数据管理员",
                contact_phone="0632-3230100",
                resources=[{"name": "数据文件", "format": "CSV",
                            "url": f"https://data.zaozhuang.gov.cn/files/{d['name']}.csv"}],
                **fields)
            if n % 500 == 499:
                print(f"  {n + 1} datasets ({(n + 1) / (time.monotonic() - started):.0f}/s)",
                      file=sys.stderr)
        search.commit()

        def first(opening, org):
            return next(d["name"] for d in entries
                        if d["opening"] == opening and d["org"] == org)

        def with_upload(name):
            dataset = act("package_show", id=name)
            uploads = [r for r in dataset["resources"] if r["url_type"] == "upload"]
            if uploads:
                return dataset["name"], uploads[0]
            upload = FileStorage(io.BytesIO("区县,数量\n市中区,1\n".encode()), filename="d.csv")
            return dataset["name"], act("resource_create", package_id=dataset["id"],
                                      name="数据", url="", upload=upload, format="CSV")

        open_id, open_file = with_upload(first("unconditional", big))
        held_id, held_file = with_upload(first("conditional", big))

        if not act("zaozhuang_agreement_template_list", organization_id="portal"):
            act("zaozhuang_agreement_template_create", title=SAMPLE_TITLE, body=SAMPLE_BODY)

        today = datetime.date.today()
        form = {"applicant_type": "enterprise", "entity_name": "枣庄示例科技有限公司",
                "credit_code": "91370400MA3C12345" + credit_code_check_character(
                    "91370400MA3C12345"),
                "contact_name": "王敏", "contact_phone": "13806320001",
                "contact_email": "wangmin@example.com", "purpose": "交通出行服务研究",
                "scenario": "为市民提供出行参考", "security_measures": "专人专岗,访问留痕",
                "expected_results": "研究报告一份", "period_start": today.isoformat(),
                "period_end": (today + datetime.timedelta(days=89)).isoformat(),
                "pledge_accepted": True}

        def queue(org):
            return act("zaozhuang_application_list", users["reviewer-big"] if org == big
                       else users["reviewer-small"], scope="review", organization_id=org,
                       limit=1)["count"]

        def apply(user, dataset):
            application = act("zaozhuang_application_create", user, dataset_id=dataset, **form)
            act("zaozhuang_application_submit", user, id=application["id"])
            return application["id"]

        # The applicant's grants: the whole flow, applied, approved and signed.
        conditional = {org: [d["name"] for d in entries
                             if d["opening"] == "conditional" and d["org"] == org]
                       for org in (big, small)}
        held = act("zaozhuang_grant_list", users["applicant"])
        for dataset in [held_id, *conditional[big][1:GRANTS]][len(held):]:
            application = apply(users["applicant"], dataset)
            act("zaozhuang_application_approve", users["reviewer-big"], id=application)
            text = act("zaozhuang_agreement_show", users["applicant"],
                       application_id=application)["text_sha256"]
            act("zaozhuang_agreement_sign", users["applicant"], application_id=application,
                text_sha256=text, accept=True)
        for org, wanted in ((small, SMALL_QUEUE), (big, applications)):
            pending = queue(org)
            for n in range(pending, wanted):
                apply(users[f"applicant-{n % APPLICANTS:03d}"],
                      conditional[org][n % len(conditional[org])])
                if n % 500 == 499:
                    print(f"  {n + 1} applications to {org}", file=sys.stderr)
        # The applications' notifications would keep the bench's job worker busy for an hour.
        job_queue = jobs.get_queue()
        job_queue.empty()
        for registry in (job_queue.scheduled_job_registry, job_queue.failed_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
        tokens = {role: act("api_token_create", user=users[role], name="bench")["token"]
                  for role in ("applicant", "reviewer-big", "reviewer-small")}
        return {"open": (open_id, open_file["id"], open_file["url"].rsplit("/", 1)[-1]),
                "held": (held_id, held_file["id"], held_file["url"].rsplit("/", 1)[-1]),
                "tokens": tokens, "datasets": len(entries),
                "applications": {"big": queue(big), "small": queue(small)}}


IMPORT_DEPARTMENT = "zz-bench-import"


# The catalog fields every benchmark entry shares: an open transport dataset.
ENTRY = {"domain": "transport", "data_level": "general", "open_category": "unconditional",
         "share_category": "unconditional", "personal_info": "no",
         "update_frequency": "monthly", "contact_name": "王静", "contact_phone": "0632-3317001"}


@contextlib.contextmanager
def _emptied_department(name: str, title: str, code_body: str):
    """(act, department, provider code) inside a request context of the portal: the
    department made once with the provider code of `code_body`, emptied of its datasets;
    `act` calls an action as the site user."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckanext.zaozhuang.schema.validators import credit_code_check_character

    app = _app(_ini(None)).test_client()
    with app.application.test_request_context():
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

        def act(action, **data):
            return tk.get_action(action)({"user": site_user, "ignore_auth": True}, data)

        code = code_body + credit_code_check_character(code_body)
        try:
            org = act("organization_show", id=name)
        except tk.ObjectNotFound:
            org = act("organization_create", name=name, title=title, provider_code=code)
        for (package_id,) in model.Session.query(model.Package.id).filter(
                model.Package.owner_org == org["id"]):
            act("dataset_purge", id=package_id)
        yield act, org, code


def import_files(rows: int, directory: str) -> dict:
    """Empty the import department and write the same kind of N datasets twice: as a catalog
    spreadsheet and as ckanapi's JSON lines (other codes, so both create)."""
    from ckanext.zaozhuang.catalog import spreadsheet

    with _emptied_department(IMPORT_DEPARTMENT, "批量导入测试部门", "11370400MB9999999") as (
            _act, org, code):
        def dataset(n):
            return dict(ENTRY, name=f"{code}-{n:05d}".lower(), catalog_code=f"{code}-{n:05d}",
                        title=f"枣庄市公共停车场信息 {n}", notes="停车场名称、位置和泊位数。",
                        owner_org=org["name"], organization=org, spatial_coverage=["370400"])

        sheet = os.path.join(directory, "catalog.csv")
        with open(sheet, "wb") as f:
            f.write(spreadsheet.write([spreadsheet.to_row(dataset(n))
                                       for n in range(1, rows + 1)], "csv"))
        lines = os.path.join(directory, "datasets.jsonl")
        with open(lines, "w", encoding="utf-8") as f:
            for n in range(rows + 1, 2 * rows + 1):
                f.write(json.dumps({k: v for k, v in dataset(n).items() if k != "organization"},
                                   ensure_ascii=False) + "\n")
    return {"sheet": sheet, "lines": lines}


def import_throughput(rows: int) -> None:
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    with tempfile.TemporaryDirectory() as directory:
        out = subprocess.run([sys.executable, __file__, "--import-files", str(rows),
                              "--target", directory], check=True, stdout=subprocess.PIPE,
                             text=True).stdout
        files = json.loads(out.strip().splitlines()[-1])
        worker = subprocess.Popen([ckan, "-c", BENCH_INI, "jobs", "worker"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            started = time.monotonic()
            subprocess.run([ckan, "-c", BENCH_INI, "zaozhuang", "catalog", "import",
                            files["sheet"], "--background"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            imported = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait()
        started = time.monotonic()
        subprocess.run(["ckanapi", "load", "datasets", "-I", files["lines"], "-c", BENCH_INI,
                        "-p", "1", "-q"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        loaded = time.monotonic() - started
    print(f"\n{rows} datasets: background catalog import {imported:.0f} s "
          f"({rows / imported:.1f}/s), ckanapi load {loaded:.0f} s ({rows / loaded:.1f}/s): "
          f"throughput ratio {loaded / imported:.2f}")


LOAD_DEPARTMENT = "zz-bench-load"
LOAD_HEADER = "序号,身份证号,联系电话,登记日期,金额"
LOAD_DICTIONARY = [
    {"name_zh": "序号", "name_en": "seq", "type": "integer"},
    {"name_zh": "身份证号", "name_en": "id_number", "type": "string", "value_format": "id_card"},
    {"name_zh": "联系电话", "name_en": "phone", "type": "string", "value_format": "phone"},
    {"name_zh": "登记日期", "name_en": "registered", "type": "date"},
    {"name_zh": "金额", "name_en": "amount", "type": "decimal"},
]


# The job log's lines that open each phase of a load, and the phase they open.
LOAD_PHASES = [
    ("Express Load starting", "fetching the file and writing it again as UTF-8 CSV"),
    ("Copying to database...", "COPY"),
    ("...copying done", "full-text search column"),
    ("...search index created", "counting and typing the columns"),
    ("Calculating record count", "ANALYZE and offering the table"),
    ("Creating column indexes", "column indexes"),
    ("...column indexes created", "recording the file's hash"),
    ("Express Load completed", ""),
]


def load_file(rows: int, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(LOAD_HEADER + "\r\n")
        for n in range(1, rows + 1):
            f.write(f"{n},3704021980{n % 100000000:08d},0632{n % 10000000:07d},"
                    f"20{n % 25:02d}年{n % 12 + 1}月{n % 28 + 1}日,\"{n % 1000},{n % 1000:03d}.50\"\r\n")


def load_target() -> dict:
    """A department with a publisher and an empty dataset with the register's data
    dictionary (the department is emptied first)."""
    import ckan.plugins.toolkit as tk

    with _emptied_department(LOAD_DEPARTMENT, "加载测试部门", "11370400MB9999998") as (
            act, org, code):
        try:
            act("user_show", id="zz-bench-publisher")
        except tk.ObjectNotFound:
            act("user_create", name="zz-bench-publisher", email="bench@example.org",
                password="Bench-publisher-1")
        act("organization_member_create", id=org["id"], username="zz-bench-publisher",
            role="editor")
        token = act("api_token_create", user="zz-bench-publisher", name="bench")["token"]
        dataset = act("package_create", **dict(
            ENTRY, name=f"{code}-00001".lower(), catalog_code=f"{code}-00001",
            title="人员登记（加载测试）", notes="加载测试。", owner_org=org["name"],
            data_dictionary=LOAD_DICTIONARY))
    return {"dataset": dataset["id"], "token": token}


def load_throughput(rows: int) -> None:
    """The portal's load of an N-row CSV by the real worker beside a plain COPY of it."""
    import requests
    import sqlalchemy as sa

    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    port = int(os.environ.get("CKAN_PORT", "5000")) + 101
    base = f"http://127.0.0.1:{port}"
    ini = _ini(None, **{"ckan.site_url": base, "ckanext.xloader.site_url": base})
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "登记.csv")
        load_file(rows, path)
        size = os.path.getsize(path)
        out = subprocess.run([sys.executable, __file__, "--load-target"], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        target = json.loads(out.strip().splitlines()[-1])
        env = {**os.environ, "CKAN_INI": ini}
        server = subprocess.Popen(
            ["gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "600",
             "--pythonpath", os.path.join(ROOT, "config", "docker"), "wsgi:application"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        worker = subprocess.Popen([ckan, "-c", ini, "jobs", "worker"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        headers = {"Authorization": target["token"]}
        api = base + "/api/3/action/"
        try:
            for _ in range(600):  # the app loads before it answers
                if _get(api + "status_show")[1]:
                    break
                time.sleep(0.2)
            with open(path, "rb") as f:
                resource = requests.post(api + "resource_create", headers=headers, data={
                    "package_id": target["dataset"], "name": "人员登记", "format": "CSV"},
                    files={"upload": ("登记.csv", f, "text/csv")}, timeout=600).json()["result"]
            status: dict = {}
            for _ in range(7200):
                status = requests.get(api + "xloader_status", headers=headers, timeout=60,
                                      params={"resource_id": resource["id"]}).json()["result"]
                if status["status"] in ("complete", "error"):
                    break
                time.sleep(1)
        finally:
            for process in (worker, server):
                process.terminate()
            # A second signal stops the worker's running job too (the quality check).
            time.sleep(1)
            worker.terminate()
            for process in (worker, server):
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    process.kill()
        if status.get("status") != "complete":
            sys.exit(f"the load did not complete: {status.get('error')}")
        logs = [(datetime.datetime.fromisoformat(entry["timestamp"]), entry["message"])
                for entry in status["task_info"]["logs"]]
        loaded = (max(t for t, _ in logs) - min(t for t, _ in logs)).total_seconds()
        marks = [next((t for t, message in logs if message.startswith(mark)), None)
                 for mark, _ in LOAD_PHASES]
        phases = [f"{label} {(end - start).total_seconds():.1f} s"
                  for (_, label), start, end in zip(LOAD_PHASES, marks, marks[1:])
                  if start and end]

        from ckan.cli import load_config
        config = load_config(ini)
        engine = sa.create_engine(config["ckan.datastore.write_url"])
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("DROP TABLE IF EXISTS zz_bench_copy")
            cursor.execute("CREATE TABLE zz_bench_copy (" + ", ".join(
                f'"{name}" text' for name in LOAD_HEADER.split(",")) + ")")
            raw.commit()
            started = time.monotonic()
            with open(path, "rb") as f:
                cursor.copy_expert("COPY zz_bench_copy FROM STDIN WITH (FORMAT csv, HEADER)", f)
            raw.commit()
            copied = time.monotonic() - started
            cursor.execute("DROP TABLE zz_bench_copy")
            raw.commit()
        finally:
            raw.close()
    print(f"\n{rows} rows ({size / 1e6:.1f} MB CSV): portal load by the worker {loaded:.1f} s "
          f"({rows / loaded:,.0f} rows/s), plain COPY {copied:.1f} s "
          f"({rows / copied:,.0f} rows/s): the load takes {loaded / copied:.1f}× the COPY")
    print("the load's phases: " + "; ".join(phases))


def calls(target: dict) -> dict[str, tuple[str, str | None]]:
    """Each measured request: its path and whose token it carries."""
    open_id, open_res, open_file = target["open"]
    held_id, held_res, held_file = target["held"]
    search = f"/api/3/action/package_search?q=%E5%85%AC%E4%BA%A4&rows=20&facet.field={FACETS}"
    return {
        "package_search q=公交, facets (anonymous)": (search, None),
        "package_search q=公交, facets (grantee)": (search, "applicant"),
        "package_search all, facets (anonymous)":
            (f"/api/3/action/package_search?rows=20&facet.field={FACETS}", None),
        "package_show open (anonymous)": (f"/api/3/action/package_show?id={open_id}", None),
        "package_show conditional (grantee)":
            (f"/api/3/action/package_show?id={held_id}", "applicant"),
        "dataset page (anonymous)": (f"/dataset/{open_id}", None),
        "/dataset?q=公交 page (anonymous)": ("/dataset/?q=%E5%85%AC%E4%BA%A4", None),
        "download open (anonymous)":
            (f"/dataset/{open_id}/resource/{open_res}/download/{open_file}", None),
        "download with grant (grantee)":
            (f"/dataset/{held_id}/resource/{held_res}/download/{held_file}", "applicant"),
        "DCAT catalog page (anonymous)": ("/catalog.ttl", None),
    }


QUEUE = {"reviewer queue, long": ("/applications/review", "reviewer-big"),
         "reviewer queue, 100": ("/applications/review", "reviewer-small")}


def serve(plugins: str | None, target: dict) -> None:
    """A worker: answers each line "<call> <count>" on stdin with the timings in seconds."""
    client = _app(_ini(plugins)).test_client()
    logging.getLogger("ckan").setLevel(logging.WARNING)  # no line per request
    known = {**calls(target), **QUEUE}
    for line in sys.stdin:
        name, count = line.rsplit(" ", 1)
        path, who = known[name]
        headers = {"Authorization": target["tokens"][who]} if who else {}
        timings = []
        for _ in range(int(count)):
            start = time.perf_counter()
            response = client.get(path, headers=headers)
            timings.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {response.status_code}")
            response.close()
        print(json.dumps(timings), flush=True)


class Worker:
    def __init__(self, config: str, target: dict):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", config, "--target", json.dumps(target)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, call: str, count: int) -> list[float]:
        self.process.stdin.write(f"{call} {count}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the worker stopped during {call!r}")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def _pct(timings: list[float], q: float) -> float:
    return sorted(timings)[min(len(timings) - 1, int(q * len(timings)))] * 1000


def side_by_side(target: dict, only: str = "") -> None:
    portal, stock = Worker("portal", target), Worker("stock", target)
    print(f"{'request':44} {'stock p50':>9} {'portal p50':>10} {'ratio':>6} "
          f"{'stock p95':>9} {'portal p95':>10} {'ratio':>6}")
    for call in [c for c in calls(target) if only in c]:
        times = {"portal": [], "stock": []}
        for worker in (portal, stock):  # warm-up
            worker.run(call, 5)
        for block in range(BLOCKS):
            order = (("portal", portal), ("stock", stock))
            for label, worker in order if block % 2 else order[::-1]:
                times[label] += worker.run(call, BLOCK)
        s50, p50 = _pct(times["stock"], .5), _pct(times["portal"], .5)
        s95, p95 = _pct(times["stock"], .95), _pct(times["portal"], .95)
        print(f"{call:44} {s50:9.1f} {p50:10.1f} {p50 / s50:6.2f} {s95:9.1f} {p95:10.1f} "
              f"{p95 / s95:6.2f}", flush=True)
    if only not in "reviewer queue page":
        portal.close()
        stock.close()
        return
    long, short = [], []
    for call in QUEUE:
        portal.run(call, 5)
    for _ in range(BLOCKS):
        long += portal.run("reviewer queue, long", BLOCK)
        short += portal.run("reviewer queue, 100", BLOCK)
    print(f"reviewer queue page: {target['applications']['big']} applications p50 "
          f"{_pct(long, .5):.1f} ms, {target['applications']['small']} applications p50 "
          f"{_pct(short, .5):.1f} ms: ratio {_pct(long, .5) / _pct(short, .5):.2f}")
    portal.close()
    stock.close()


def _gunicorn(plugins: str | None, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "CKAN_INI": _ini(plugins)}
    return subprocess.Popen(
        ["gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout",
         "120", "--pythonpath", os.path.join(ROOT, "config", "docker"), "wsgi:application"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _get(url: str) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            ok = response.status == 200
    except (urllib.error.URLError, OSError):
        ok = False
    return time.perf_counter() - start, ok


ROUNDS = 5


def load(target: dict, seconds: int, workers: int) -> None:
    """Throughput and p95 of a mixed anonymous load on gunicorn. Both configurations are
    served at once (idle workers cost nothing), each warmed up, then driven in turn in
    ROUNDS rounds of seconds/ROUNDS each, so that a change of the machine's load falls on
    both alike, as in the side-by-side blocks."""
    every = calls(target)
    mix = [every[c][0] for c in ("package_search q=公交, facets (anonymous)",
                                 "package_show open (anonymous)", "dataset page (anonymous)",
                                 "/dataset?q=公交 page (anonymous)",
                                 "download open (anonymous)")]
    port = int(os.environ.get("CKAN_PORT", "5000")) + 100
    bases = {"stock": f"http://127.0.0.1:{port}", "portal": f"http://127.0.0.1:{port + 1}"}
    servers = [_gunicorn(STOCK_PLUGINS, port, workers), _gunicorn(None, port + 1, workers)]
    print(f"\nmixed anonymous load, gunicorn with {workers} workers, {seconds} s each "
          f"in {ROUNDS} alternating rounds")
    print(f"{'':8}{'clients':>8}{'req/s':>8}{'p95 ms':>9}{'errors':>8}")
    try:
        for base in bases.values():
            for _ in range(600):  # the app loads before it answers
                if _get(base + "/api/3/action/status_show")[1]:
                    break
                time.sleep(0.2)
            # Every worker renders each page once before the clock starts.
            with concurrent.futures.ThreadPoolExecutor(workers * 2) as pool:
                list(pool.map(lambda n: _get(base + mix[n % len(mix)]),
                              range(workers * len(mix) * 4)))
        for clients in (16, 64):
            results: dict[str, list[tuple[float, bool]]] = {label: [] for label in bases}
            elapsed = dict.fromkeys(bases, 0.0)
            for _round in range(ROUNDS):
                for label, base in bases.items():
                    started = time.monotonic()
                    results[label] += _drive(base, mix, clients, seconds / ROUNDS)
                    elapsed[label] += time.monotonic() - started
            rates = {label: len(results[label]) / elapsed[label] for label in bases}
            for label, found in results.items():
                print(f"{label:8}{clients:8}{rates[label]:8.1f}"
                      f"{_pct([t for t, _ in found], .95):9.0f}"
                      f"{sum(not ok for _, ok in found):8}", flush=True)
            print(f"{'':8}{clients:8} portal/stock throughput "
                  f"{rates['portal'] / rates['stock']:.2f}")
    finally:
        for server in servers:
            server.terminate()
            server.wait()


def _drive(base: str, mix: list[str], clients: int, seconds: float) -> list[tuple[float, bool]]:
    """`clients` concurrent clients cycling through the mix for `seconds` (each then ends
    the request it is in)."""
    stop = time.monotonic() + seconds
    results: list[tuple[float, bool]] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        n = offset
        while time.monotonic() < stop:
            result = _get(base + mix[n % len(mix)])
            with lock:
                results.append(result)
            n += 1

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--applications", type=int, default=10000)
    parser.add_argument("--load", action="store_true", help="also measure under gunicorn")
    parser.add_argument("--only", default="",
                        help="measure only the requests whose label contains this text")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--import-rows", type=int, default=0,
                        help="also time a background catalog import of this many rows")
    parser.add_argument("--load-rows", type=int, default=0,
                        help="only time the DataStore load of a CSV of this many rows")
    parser.add_argument("--import-files", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load-target", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", choices=("portal", "stock"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.prepare:
        print(json.dumps(prepare(args.datasets, args.applications)))
        return
    if args.import_files:
        print(json.dumps(import_files(args.import_files, args.target)))
        return
    if args.load_target:
        print(json.dumps(load_target()))
        return
    if args.load_rows:
        load_throughput(args.load_rows)
        return
    if args.serve:
        serve(None if args.serve == "portal" else STOCK_PLUGINS, json.loads(args.target))
        return
    # Preparing loads the portal's plugins, which are global: a process of its own.
    started = time.monotonic()
    out = subprocess.run([sys.executable, __file__, "--prepare", "--datasets",
                          str(args.datasets), "--applications", str(args.applications)],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    target = json.loads(out.strip().splitlines()[-1])
    print(f"catalog: {target['datasets']} datasets, reviewer queues of "
          f"{target['applications']['big']} and {target['applications']['small']} "
          f"applications (ready in {time.monotonic() - started:.0f} s)")
    print(f"median and 95th percentile of {BLOCKS * BLOCK} requests each, in {BLOCKS} "
          f"alternating blocks, in-process WSGI; ratio = portal / stock\n")
    side_by_side(target, args.only)
    if args.load:
        load(target, args.seconds, args.workers)
    if args.import_rows:
        import_throughput(args.import_rows)


if __name__ == "__main__":
    main()
