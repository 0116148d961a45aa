"""The demo's agreement template and an enterprise applicant, so the demo shows the whole
application flow on its conditionally open dataset (zz-enterprise-credit)."""
from __future__ import annotations

import os
import secrets

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema.validators import credit_code_check_character

SAMPLE_TITLE = "枣庄市公共数据利用协议"
SAMPLE_BODY = """枣庄市公共数据利用协议

甲方(数据提供单位):${provider}
乙方(数据使用方):${applicant}
乙方统一社会信用代码(或联系电话):${applicant_identifier}
乙方联系人:${applicant_contact}
协议编号:${application_id}

依据《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》及本市公共数据开放管理的有关规定,甲乙双方就乙方通过${platform}使用有条件开放(共享)公共数据事宜,订立本协议。

第一条 数据及范围
甲方向乙方提供“${dataset}”(资源代码 ${dataset_code})中的以下数据:${resources}。

第二条 用途与应用场景
乙方仅将数据用于:${purpose}
应用场景:${scenario}
乙方不得改变上述用途和使用范围。

第三条 使用期限
自 ${period_start} 起至 ${period_end} 止。期满后乙方停止使用并删除数据,需继续使用的应重新申请。

第四条 安全保障义务
乙方应落实以下安全保障措施:${security_measures}
乙方应建立数据安全管理制度,采取必要的技术和管理措施,防止数据泄露、篡改、毁损和滥用;发生或可能发生安全事件时,立即采取处置措施并告知甲方和市大数据主管部门。

第五条 禁止行为
(一)未经甲方书面同意,不得向任何第三方提供、转让、出售或公开数据;
(二)不得对数据进行重新识别,不得试图识别特定自然人或还原已去标识化的信息;
(三)不得将数据用于违法违规活动或损害国家利益、公共利益和他人合法权益的活动。

第六条 注明来源
乙方使用数据形成的产品、服务、报告和其他成果,应注明数据来源于${platform}及甲方。

第七条 利用情况反馈
乙方应在使用期限内通过平台报告数据利用情况、成果与效益(预期成果:${expected_results}),并报告发现的安全风险和数据质量问题。

第八条 协议终止与违约责任
乙方违反本协议的,甲方或市大数据主管部门有权立即终止数据使用、撤销授权;造成损失的,乙方依法承担赔偿责任;构成违法的,依法追究法律责任。

第九条 其他
本协议经乙方在平台上在线签署后生效,签署记录(签署人、时间、网络地址及协议文本摘要)作为本协议的组成部分。

协议生成日期:${date}
"""
DEMO_APPLICANT = "demo-enterprise"
DEMO_CREDIT_CODE_BODY = "91370400MA3C12345"


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def load_templates() -> None:
    """Create the portal-wide agreement template, and a demo enterprise applicant whose
    password is kept beside the demo sysadmin's, once."""
    existing = tk.get_action("zaozhuang_agreement_template_list")(
        _site_context(), {"organization_id": "portal"})
    if not existing:
        tk.get_action("zaozhuang_agreement_template_create")(
            _site_context(), {"title": SAMPLE_TITLE, "body": SAMPLE_BODY})
    try:
        tk.get_action("user_show")(_site_context(), {"id": DEMO_APPLICANT})
    except tk.ObjectNotFound:
        password = secrets.token_urlsafe(12)
        tk.get_action("user_create")(_site_context(), {
            "name": DEMO_APPLICANT, "email": "demo-enterprise@example.com",
            "password": password, "fullname": "枣庄示例科技有限公司"})
        path = os.path.join(tk.config["ckan.storage_path"], "demo_enterprise_password")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(password + "\n")
        tk.get_action("zaozhuang_applicant_profile_update")({"user": DEMO_APPLICANT}, {
            "applicant_type": "enterprise", "entity_name": "枣庄示例科技有限公司",
            "credit_code": DEMO_CREDIT_CODE_BODY + credit_code_check_character(
                DEMO_CREDIT_CODE_BODY),
            "contact_name": "王敏", "contact_phone": "13806320001",
            "contact_email": "demo-enterprise@example.com"})
