"""Mail about data requests: to the department's reviewers when routed, to the requester
when answered; sent by the background job to a real local SMTP server."""
from tests.applications.mailbox import run_jobs
from tests.participation.demand.helpers import answered, file


def _email(world, role):
    return world.users[role]["email"]


def test_the_department_hears_of_the_routing_and_the_requester_of_the_answer(world, mailbox):
    request = file(world)
    run_jobs()
    assert mailbox.messages == []
    world.act("authority", "request_route", id=request["id"],
              organization_id=world.department["id"])
    run_jobs()
    # The reviewers (editor and admin), not the plain member nor the other department.
    assert mailbox.recipients() == sorted([_email(world, "dept_editor"),
                                           _email(world, "dept_admin")])
    assert request["id"] in mailbox.body(mailbox.messages[0])
    world.act("dept_admin", "request_answer", id=request["id"], answer="cannot",
              legal_basis="《中华人民共和国个人信息保护法》第十三条")
    run_jobs()
    to_requester = mailbox.to(_email(world, "requester"))
    assert len(to_requester) == 1
    body = mailbox.body(to_requester[0])
    assert "个人信息保护法" in body and request["id"] in body
    assert request["title"] in to_requester[0]["Subject"]


def test_no_mail_when_switched_off(world, mailbox, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.zaozhuang.participation.mail", False)
    answered(world)
    run_jobs()
    assert mailbox.messages == []
