"""Background catalog imports: the real job worker, progress, refusal and resumption after
the worker is killed part-way."""
import csv
import io
import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.catalog import jobs
from ckanext.zaozhuang.catalog.model import CatalogImport
from tests.applications.mailbox import run_jobs
from tests.catalog.conftest import dataset_count, transport_row

TRANSPORT = "11370400MB28531020"  # the provider code of the demo transport department


def _rows(count, **changes):
    return [transport_row(**{"资源代码": f"{TRANSPORT}-{n:05d}",
                             "资源名称": f"枣庄市停车场信息{n}", **changes})
            for n in range(1, count + 1)]


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _as(user):
    # Real auth: CKAN's call_action ignores it unless told otherwise.
    return {"user": user["name"], "ignore_auth": False}


def _start(user, rows, **data):
    upload = FileStorage(io.BytesIO(_csv(rows)), filename="目录.csv")
    return call_action("zaozhuang_catalog_import", _as(user),
                       upload=upload, background=True, **data)


def _show(user, run_id):
    return call_action("zaozhuang_catalog_import_show", _as(user), id=run_id)


@pytest.fixture
def publisher(departments):
    user = factories.User()
    call_action("organization_member_create", id=departments["zz-jtysj"]["id"],
                username=user["name"], role="editor")
    return user


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                         "with_test_worker", "with_request_context")
class TestBackgroundImport:
    def test_the_worker_writes_every_row_and_reports_it(self, publisher):
        queued = _start(publisher, _rows(7))
        assert (queued["state"], queued["total"], queued["done"]) == ("queued", 7, 0)
        assert queued["filename"] == "目录.csv" and queued["user"] == publisher["name"]
        assert dataset_count() == 0
        run_jobs()
        done = _show(publisher, queued["id"])
        assert (done["state"], done["done"], done["created"], done["errors"]) == \
            ("done", 7, 7, None)
        assert dataset_count() == 7
        assert call_action("package_search", q="停车场信息7")["results"][0]["name"] == \
            f"{TRANSPORT}-00007".lower()

    def test_again_the_rows_are_unchanged(self, publisher):
        _start(publisher, _rows(3))
        run_jobs()
        again = _start(publisher, _rows(3))
        run_jobs()
        assert _show(publisher, again["id"])["unchanged"] == 3
        assert dataset_count() == 3

    def test_a_bad_row_fails_the_check_and_nothing_is_written(self, publisher):
        rows = _rows(5)
        rows[2]["联系电话"] = "3317001"
        queued = _start(publisher, rows)
        run_jobs()
        failed = _show(publisher, queued["id"])
        assert failed["state"] == "failed" and failed["done"] == 0
        # Keyed by row (the CSV's header is row 1) and column, in Chinese.
        assert list(failed["errors"]) == ["第4行 联系电话"]
        assert dataset_count() == 0

    def test_a_department_the_publisher_may_not_write_to_fails_each_row(self, departments):
        stranger = factories.User()
        call_action("organization_member_create", id=departments["zz-sthjj"]["id"],
                    username=stranger["name"], role="editor")
        queued = _start(stranger, _rows(2))
        run_jobs()
        assert _show(stranger, queued["id"])["state"] == "failed"
        assert dataset_count() == 0

    def test_only_the_importer_sees_and_resumes_it(self, publisher, departments):
        queued = _start(publisher, _rows(2))
        other = factories.User()
        call_action("organization_member_create", id=departments["zz-jtysj"]["id"],
                    username=other["name"], role="admin")
        for user in (other, {"name": ""}):
            for action in ("zaozhuang_catalog_import_show", "zaozhuang_catalog_import_resume"):
                with pytest.raises(tk.NotAuthorized):
                    call_action(action, _as(user), id=queued["id"])

    def test_a_done_import_is_not_resumed(self, publisher):
        queued = _start(publisher, _rows(1))
        run_jobs()
        with pytest.raises(tk.ValidationError) as raised:
            call_action("zaozhuang_catalog_import_resume", _as(publisher),
                        id=queued["id"])
        assert list(raised.value.error_dict) == ["id"]

    @pytest.mark.parametrize("data, field", [
        ({"background": "maybe"}, "background"),
        ({"background": ["true"]}, "background"),
        ({"background": True, "dry_run": True}, "background"),
        ({"background": True, "rows": [{"资源名称": "x"}]}, "upload"),
        ({"background": True, "upload": b"\xff\xfe\x00"}, "upload"),
        ({"background": True, "upload": _csv(_rows(1))[:60]}, "upload"),
    ])
    def test_bad_input_is_refused_at_once(self, publisher, data, field):
        with pytest.raises(tk.ValidationError) as raised:
            call_action("zaozhuang_catalog_import", _as(publisher), **data)
        assert field in raised.value.error_dict
        assert model.Session.query(CatalogImport).count() == 0

    @pytest.mark.parametrize("run_id, error", [
        ("no-such-import", tk.ObjectNotFound), (["x"], tk.ValidationError),
        ("x\x00", tk.ValidationError),
    ])
    def test_an_unknown_or_malformed_id(self, publisher, run_id, error):
        with pytest.raises(error):
            call_action("zaozhuang_catalog_import_show", _as(publisher), id=run_id)


def _worker(ini):
    """`ckan jobs worker --burst` in a process of its own, as production runs it."""
    return subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "ckan"), "-c", ini,
                             "jobs", "worker", "--burst"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill(worker):
    """Kill the worker and the work horse it forked for the job (rq gives the horse a
    session of its own, so that signals to the worker do not reach it)."""
    horses = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()
              and _parent(entry) == worker.pid]
    for pid in [worker.pid, *horses]:
        os.kill(pid, signal.SIGKILL)
    worker.wait()


def _parent(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@pytest.fixture
def small_chunks(ckan_config):
    """A config for a separate worker process: the test services, chunks of 10 rows."""
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
        f.write(f"[app:main]\nuse = config:{os.path.abspath(ckan_config['__file__'])}\n"
                "ckanext.zaozhuang.catalog.import_chunk = 10\n")
    yield f.name
    os.remove(f.name)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                         "with_test_worker", "with_request_context")
def test_a_killed_worker_leaves_whole_chunks_and_the_import_resumes(publisher, small_chunks):
    queued = _start(publisher, _rows(120))
    worker = _worker(small_chunks)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            model.Session.expire_all()
            run = model.Session.get(CatalogImport, queued["id"])
            if run.done >= 20:
                break
            time.sleep(0.05)
    finally:
        _kill(worker)
    model.Session.expire_all()
    stopped = _show(publisher, queued["id"])
    assert stopped["state"] == "writing" and 20 <= stopped["done"] < 120
    # Whole chunks: exactly the rows counted as done were written.
    assert stopped["done"] % 10 == 0 and dataset_count() == stopped["done"]
    # PostgreSQL ends the dead worker's session, and with it the import's lock, when it
    # notices the closed connection.
    run = model.Session.get(CatalogImport, queued["id"])
    for _ in range(100):
        if not jobs.is_running(run):
            break
        time.sleep(0.1)
    call_action("zaozhuang_catalog_import_resume", _as(publisher), id=queued["id"])
    run_jobs()
    done = _show(publisher, queued["id"])
    assert (done["state"], done["done"], done["created"]) == ("done", 120, 120), done["errors"]
    assert dataset_count() == 120
