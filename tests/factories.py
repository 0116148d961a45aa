"""Factories for catalog entries that pass the Zaozhuang schema."""
import factory

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.schema.validators import credit_code_check_character


def credit_code(n: int) -> str:
    body = f"11370400MB{n:07d}"
    return body + credit_code_check_character(body)


class Department(factories.Organization):
    """A providing department, with its provider code (统一社会信用代码)."""
    provider_code = factory.Sequence(credit_code)
    # CKAN's factory writes English filler and links a picture on another site.
    description = "测试部门简介"
    image_url = ""


class CatalogDataset(factories.Dataset):
    """An unconditionally open, unconditionally shared catalog entry of a department."""
    owner_org = factory.LazyAttribute(lambda _: Department()["id"])
    catalog_code = factory.LazyAttributeSequence(
        lambda o, n: "{}-{:05d}".format(
            call_action("organization_show", id=o.owner_org)["provider_code"],
            n % 100000))
    notes = "测试数据集摘要"
    domain = "transport"
    data_level = "general"
    open_category = "unconditional"
    share_category = "unconditional"
    personal_info = "no"
    update_frequency = "monthly"
    contact_name = "张三"
    contact_phone = "0632-3230100"
