"""The catalog in DCAT: DCAT-AP 3 with the Zaozhuang schema's fields in their DCAT terms.

The profile extends ckanext-dcat's DCAT-AP 3 profile rather than running after it. That
profile reads `spatial_coverage`, `theme` and `contact_*` as fields of its own, of another
shape than ours (it fails on our `spatial_coverage` codes), so it is handed a view of the
dataset in its own terms and this profile writes the fields it would misread."""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCT, RDF, SKOS, VCARD, EuropeanDCATAP3Profile
from ckanext.dcat.utils import catalog_uri, publisher_uri_organization_fallback

from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.schema.validators import parse_date

ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")

# Opening categories and update frequencies in the EU authority tables DCAT-AP asks for.
ACCESS_RIGHTS = {
    "unconditional": ACCESS_RIGHT.PUBLIC,
    "conditional": ACCESS_RIGHT.RESTRICTED,
    "not_open": ACCESS_RIGHT.NON_PUBLIC,
}
FREQUENCIES = {
    "realtime": FREQUENCY.UPDATE_CONT,
    "daily": FREQUENCY.DAILY,
    "weekly": FREQUENCY.WEEKLY,
    "monthly": FREQUENCY.MONTHLY,
    "quarterly": FREQUENCY.QUARTERLY,
    "semiannual": FREQUENCY.ANNUAL_2,
    "annual": FREQUENCY.ANNUAL,
    "irregular": FREQUENCY.IRREG,
    "never": FREQUENCY.NEVER,
}

# The language the catalog's titles and descriptions are written in.
LANGUAGE = "zh"

# Fields the DCAT-AP profile would read as its own; this profile writes them instead.
OWN_FIELDS = ("spatial_coverage", "theme", "contact_name", "contact_email")

TEL = "tel:"
# Mainland China's country code: a tel: URI holds a global number (RFC 3966).
COUNTRY_CODE = "+86-"


def vocabulary_uri(vocabulary: str, code: str) -> URIRef:
    """The portal's stable URI of a term of one of its vocabularies."""
    return URIRef("{}/vocabulary/{}/{}".format(catalog_uri().rstrip("/"), vocabulary, code))


def term_code(node: Node, vocabulary: str) -> Optional[str]:
    """The code a term URI of `vocabulary` stands for, whichever portal's base URI it has."""
    path, _, code = str(node).rpartition("/")
    if path.endswith("/vocabulary/" + vocabulary) and vocabularies.term(vocabulary, code):
        return code
    return None


def telephone_uri(phone: str) -> URIRef:
    digits = re.sub(r"\D", "", phone)
    # A landline's trunk prefix 0 is dropped in the global form.
    return URIRef(TEL + COUNTRY_CODE + digits.removeprefix("0"))


def phone_from_uri(uri: str) -> str:
    digits = re.sub(r"\D", "", uri.removeprefix(TEL).removeprefix(COUNTRY_CODE))
    # Mobile numbers start with 1; landlines get their trunk prefix back.
    return digits if digits.startswith("1") else "0" + digits


def _code_of(mapping: dict[str, URIRef], value: Any) -> Optional[str]:
    return next((code for code, uri in mapping.items() if str(uri) == value), None)


class ZaozhuangDCATProfile(EuropeanDCATAP3Profile):

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        super().graph_from_dataset(self._dcat_ap_view(dataset_dict), dataset_ref)

        open_category = dataset_dict.get("open_category")
        if open_category in ACCESS_RIGHTS:
            self._add_labels(ACCESS_RIGHTS[open_category], "open_category", open_category)
        frequency = dataset_dict.get("update_frequency")
        if frequency in FREQUENCIES:
            self._add_labels(FREQUENCIES[frequency], "update_frequency", frequency)

        if dataset_dict.get("domain"):
            self._add_terms(dataset_ref, DCAT.theme, SKOS.Concept, "domain",
                            [dataset_dict["domain"]])
        self._add_terms(dataset_ref, DCAT.theme, SKOS.Concept, "theme",
                        dataset_dict.get("theme") or [])
        self._add_terms(dataset_ref, DCT.spatial, DCT.Location, "spatial",
                        dataset_dict.get("spatial_coverage") or [])
        self._add_contact_point(dataset_dict, dataset_ref)

    def _dcat_ap_view(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """The dataset with our fields under the keys the DCAT-AP profile reads."""
        view = {key: value for key, value in dataset_dict.items() if key not in OWN_FIELDS}
        terms = {
            "identifier": dataset_dict.get("catalog_code"),
            "title_translated": _in_language(dataset_dict.get("title")),
            "notes_translated": _in_language(dataset_dict.get("notes")),
            "access_rights": ACCESS_RIGHTS.get(dataset_dict.get("open_category")),
            "frequency": FREQUENCIES.get(dataset_dict.get("update_frequency")),
            # Without them the DCAT-AP profile falls back to the record's own dates.
            "issued": dataset_dict.get("first_published"),
            "modified": dataset_dict.get("last_updated"),
            "publisher": self._publisher(dataset_dict),
        }
        view.update({key: value for key, value in terms.items() if value})
        view["resources"] = [self._distribution_view(resource)
                             for resource in dataset_dict.get("resources", [])]
        return view

    def _distribution_view(self, resource_dict: dict[str, Any]) -> dict[str, Any]:
        """A resource under the keys the DCAT-AP profile reads. The links to the data
        (url, access_url, download_url) reach the graph only through here, so a decision
        on who may get the data has one place to act."""
        view = dict(resource_dict)
        terms = {
            "name_translated": _in_language(resource_dict.get("name")),
            "description_translated": _in_language(resource_dict.get("description")),
            "modified": resource_dict.get("last_updated"),
        }
        view.update({key: value for key, value in terms.items() if value})
        return view

    def _publisher(self, dataset_dict: dict[str, Any]) -> Optional[list[dict[str, Any]]]:
        """The providing department as a DCAT-AP agent; its provider code is not in the
        dataset's copy of the organization."""
        organization = dataset_dict.get("organization")
        if not organization:
            return None
        department = tk.get_action("organization_show")(
            {"ignore_auth": True},
            {"id": organization["id"], "include_dataset_count": False, "include_users": False,
             "include_groups": False, "include_followers": False})
        return [{
            "uri": publisher_uri_organization_fallback(dataset_dict),
            "name": department["title"],
            "name_translated": {LANGUAGE: department["title"]},
            "identifier": department.get("provider_code"),
            "email": department.get("contact_email"),
        }]

    def _add_labels(self, node: Node, vocabulary: str, code: str) -> None:
        term = vocabularies.term(vocabulary, code) or {}
        for lang in vocabularies.LANGUAGES:
            if term.get(lang):
                self.g.add((node, SKOS.prefLabel, Literal(term[lang], lang=_rdf_language(lang))))

    def _add_terms(self, subject: Node, predicate: URIRef, rdf_class: URIRef, vocabulary: str,
                   codes: Iterable[str]) -> None:
        for code in codes:
            if vocabularies.term(vocabulary, code) is None:
                continue
            node = vocabulary_uri(vocabulary, code)
            self.g.add((subject, predicate, node))
            self.g.add((node, RDF.type, rdf_class))
            self.g.add((node, DCT.identifier, Literal(code)))
            self._add_labels(node, vocabulary, code)

    def _add_contact_point(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        name, phone, email = (dataset_dict.get(key) for key in
                              ("contact_name", "contact_phone", "contact_email"))
        if not (name or phone or email):
            return
        contact = BNode()
        self.g.add((dataset_ref, DCAT.contactPoint, contact))
        self.g.add((contact, RDF.type, VCARD.Kind))
        if name:
            self.g.add((contact, VCARD.fn, Literal(name)))
        if phone:
            self.g.add((contact, VCARD.hasTelephone, telephone_uri(phone)))
        if email:
            self.g.add((contact, VCARD.hasEmail, URIRef(self._add_mailto(email))))

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        extras = {extra["key"]: extra["value"] for extra in dataset_dict.get("extras", [])}
        read = {
            "catalog_code": extras.get("identifier"),
            "open_category": _code_of(ACCESS_RIGHTS, extras.get("access_rights")),
            "update_frequency": _code_of(FREQUENCIES, extras.get("frequency")),
            "first_published": _iso_date(extras.get("issued")),
            "last_updated": _iso_date(extras.get("modified")),
            "contact_phone": self._contact_phone(dataset_ref),
            "domain": next(iter(self._term_codes(dataset_ref, DCAT.theme, "domain")), None),
            "theme": self._term_codes(dataset_ref, DCAT.theme, "theme"),
            "spatial_coverage": self._term_codes(dataset_ref, DCT.spatial, "spatial"),
        }
        dataset_dict.update({key: value for key, value in read.items() if value})
        # The DCAT-AP profile put every dcat:theme URI here; only our terms fit the field.
        dataset_dict["theme"] = read["theme"]

        # The extras the DCAT-AP profile made of what is now in our fields.
        consumed = {"identifier", "access_rights", "frequency", "issued", "modified"}
        if read["spatial_coverage"]:
            consumed |= {"spatial_uri", "spatial_text"}
        dataset_dict["extras"] = [extra for extra in dataset_dict.get("extras", [])
                                  if extra["key"] not in consumed]
        return dataset_dict

    def _term_codes(self, dataset_ref: URIRef, predicate: URIRef, vocabulary: str) -> list[str]:
        codes = (term_code(node, vocabulary) for node in self.g.objects(dataset_ref, predicate))
        return [code for code in codes if code]

    def _contact_phone(self, dataset_ref: URIRef) -> Optional[str]:
        for contact in self.g.objects(dataset_ref, DCAT.contactPoint):
            telephone = self._object(contact, VCARD.hasTelephone)
            if telephone is not None:
                return phone_from_uri(str(telephone))
        return None


def _in_language(text: Optional[str]) -> Optional[dict[str, str]]:
    return {LANGUAGE: text} if text else None


def _rdf_language(locale: str) -> str:
    return locale.split("_")[0]


def _iso_date(value: Optional[str]) -> Optional[str]:
    parsed = parse_date(value) if value else None
    return parsed.isoformat() if parsed else None
