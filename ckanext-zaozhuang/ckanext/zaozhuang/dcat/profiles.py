"""The catalog in DCAT: DCAT-AP 3 with the Zaozhuang schema's fields in their DCAT terms.

The profile extends ckanext-dcat's DCAT-AP 3 profile rather than running after it. That
profile reads `spatial_coverage`, `theme` and `contact_*` as fields of its own, of another
shape than ours (it fails on our `spatial_coverage` codes), so it is handed a view of the
dataset in its own terms and this profile writes the fields it would misread.

What DCAT-AP names is written in the vocabularies it asks for (dcat/authorities.py); every
other schema field in our own properties, and all of it is parsed back, so that a CKAN
harvesting us with this profile reproduces each field."""
from __future__ import annotations

import re
import weakref
from typing import Any, Iterable, Optional

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import (
    ADMS, DCAT, DCT, FOAF, RDF, RDFS, SKOS, VCARD, XSD, EuropeanDCATAP3Profile)
from ckanext.dcat.utils import (
    catalog_uri, publisher_uri_organization_fallback, resource_uri)

from ckanext.zaozhuang.dcat import authorities
from ckanext.zaozhuang.dcat.authorities import ACCESS_RIGHTS, FREQUENCIES
from ckanext.zaozhuang.schema import licences, vocabularies
from ckanext.zaozhuang.schema.validators import parse_date
from ckanext.zaozhuang.standards import skos

# The language the catalog's titles and descriptions are written in.
LANGUAGE = "zh"

# The departments one graph has described, by id: a catalog page of a hundred datasets from a
# few departments asks for each department once. Kept with the graph, gone with it.
_DEPARTMENTS: "weakref.WeakKeyDictionary[Graph, dict[str, dict[str, Any]]]" = (
    weakref.WeakKeyDictionary())

# ckanext-dcat types every distribution licence as of unknown rights; ours are known.
UNKNOWN_IPR = URIRef("http://purl.org/adms/licencetype/UnknownIPR")

# Schema fields DCAT-AP has no property for, under the portal's own properties
# (<site>/ns/catalog#<field>): field → the vocabulary of its value, TEXT or INTEGER.
TEXT, INTEGER = "text", "integer"
# A data item's own properties: those with a vocabulary, and those of text.
ITEM_TERMS = {"type": "field_type", "mandatory": "yes_no", "unique": "yes_no",
              "value_format": "value_format"}
ITEM_TEXTS = ("minimum", "maximum", "codes")
OWN_DATASET_PROPERTIES = {
    "data_level": "data_level",
    "share_category": "share_category",
    "share_conditions": TEXT,
    "share_method": "share_method",
    "secrecy": "secrecy",
    "metadata_maintainer": TEXT,
    "related_codes": TEXT,
    "personal_info": "yes_no",
    "deidentification": TEXT,
    "record_count": INTEGER,
    "source_system": TEXT,
}
OWN_RESOURCE_PROPERTIES = {
    # DCAT-AP's file types have no term for an API: our own format says it.
    "format": "resource_format",
    "resource_type": "resource_type",
    "record_count": INTEGER,
}
# The vocabularies of the datasets' dcat:theme terms (the catalog's dcat:themeTaxonomy).
THEME_VOCABULARIES = ("domain", "theme", "industry")
# Fields that hold a list of values.
MULTIPLE = frozenset(("share_method",))
OWN_NAMESPACE = "/ns/catalog#"
CSVW = Namespace("http://www.w3.org/ns/csvw#")

# What an opening category depends on, the dataset's rights statement: the conditions of
# conditionally open data, the legal basis of data not opened.
CONDITIONS = {"conditional": "open_conditions", "not_open": "not_open_basis"}

# Fields the DCAT-AP profile would read as its own; this profile writes them instead.
OWN_FIELDS = ("spatial_coverage", "theme", "contact_name", "contact_email")

TEL = "tel:"
# Mainland China's country code: a tel: URI holds a global number (RFC 3966).
COUNTRY_CODE = "+86-"


def own_property(field: str) -> URIRef:
    return URIRef(catalog_uri().rstrip("/") + OWN_NAMESPACE + field)


def telephone_uri(phone: str) -> URIRef:
    digits = re.sub(r"\D", "", phone)
    # A landline's trunk prefix 0 is dropped in the global form.
    return URIRef(TEL + COUNTRY_CODE + digits.removeprefix("0"))


def phone_from_uri(uri: str) -> str:
    digits = re.sub(r"\D", "", uri.removeprefix(TEL).removeprefix(COUNTRY_CODE))
    # Mobile numbers start with 1; landlines get their trunk prefix back.
    return digits if digits.startswith("1") else "0" + digits


class ZaozhuangDCATProfile(EuropeanDCATAP3Profile):

    def graph_from_catalog(self, catalog_dict: Optional[dict[str, Any]],
                           catalog_ref: URIRef) -> None:
        super().graph_from_catalog(
            dict(catalog_dict or {}, language=str(authorities.CHINESE)), catalog_ref)
        self.g.add((authorities.CHINESE, RDF.type, DCT.LinguisticSystem))
        for homepage in self.g.objects(catalog_ref, FOAF.homepage):
            self.g.add((homepage, RDF.type, FOAF.Document))
        self._add_catalog_publisher(catalog_ref)
        self._add_theme_taxonomies(catalog_ref)

    def _add_theme_taxonomies(self, catalog_ref: URIRef) -> None:
        """The concept schemes the datasets' dcat:theme terms come from: ours, published at
        /vocabulary/<name>, and the EU data themes they are matched to."""
        for vocabulary in THEME_VOCABULARIES:
            scheme = skos.scheme_uri(vocabulary)
            self.g.add((catalog_ref, DCAT.themeTaxonomy, scheme))
            self.g.add((scheme, RDF.type, SKOS.ConceptScheme))
            for locale, title in vocabularies.schemes()[vocabulary].items():
                self.g.add((scheme, DCT.title, Literal(title, lang=skos.rdf_language(locale))))
        self.g.add((catalog_ref, DCAT.themeTaxonomy, authorities.DATA_THEME_SCHEME))
        self.g.add((authorities.DATA_THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
        self.g.add((authorities.DATA_THEME_SCHEME, DCT.title, Literal("Data theme", lang="en")))

    def _add_catalog_publisher(self, catalog_ref: URIRef) -> None:
        """The big-data authority publishes the catalog (DCAT-AP: mandatory)."""
        name = tk.config.get("ckanext.zaozhuang.authority_organization")
        try:
            authority = tk.get_action("organization_show")(
                {"ignore_auth": True}, {"id": name, "include_datasets": False,
                                        "include_users": False})
            title = Literal(authority["title"], lang=LANGUAGE)
        except tk.ObjectNotFound:
            authority = {"name": name}
            title = Literal(tk._("Zaozhuang Big Data Bureau"),
                            lang=skos.rdf_language(vocabularies.current_language()))
        agent = URIRef("{}/organization/{}".format(catalog_uri().rstrip("/"),
                                                   authority["name"]))
        self.g.add((catalog_ref, DCT.publisher, agent))
        self.g.add((agent, RDF.type, FOAF.Agent))
        self.g.add((agent, FOAF.name, title))
        if authority.get("provider_code"):
            self.g.add((agent, DCT.identifier, Literal(authority["provider_code"])))

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        super().graph_from_dataset(self._dcat_ap_view(dataset_dict), dataset_ref)
        self.g.remove((None, DCT.type, UNKNOWN_IPR))

        open_category = dataset_dict.get("open_category")
        if open_category in ACCESS_RIGHTS:
            self._add_labels(ACCESS_RIGHTS[open_category], "open_category", open_category)
        frequency = dataset_dict.get("update_frequency")
        if frequency in FREQUENCIES:
            self._add_labels(FREQUENCIES[frequency], "update_frequency", frequency)
        conditions = _conditions(dataset_dict)
        if conditions:
            self._add_statement_to_graph({"rights": _in_language(conditions)}, "rights",
                                         dataset_ref, DCT.rights, DCT.RightsStatement)

        if dataset_dict.get("domain"):
            self._add_terms(dataset_ref, DCAT.theme, SKOS.Concept, "domain",
                            [dataset_dict["domain"]])
        self._add_terms(dataset_ref, DCAT.theme, SKOS.Concept, "theme",
                        dataset_dict.get("theme") or [])
        if dataset_dict.get("industry"):
            self._add_terms(dataset_ref, DCAT.theme, SKOS.Concept, "industry",
                            [dataset_dict["industry"]])
        self._add_terms(dataset_ref, DCT.spatial, DCT.Location, "spatial",
                        dataset_dict.get("spatial_coverage") or [])
        self._add_contact_point(dataset_dict, dataset_ref)
        self._add_own_properties(dataset_ref, dataset_dict, OWN_DATASET_PROPERTIES)
        self._add_data_dictionary(dataset_ref, dataset_dict.get("data_dictionary") or [])
        for resource in dataset_dict.get("resources", []):
            self._add_own_properties(URIRef(resource_uri(resource)), resource,
                                     OWN_RESOURCE_PROPERTIES)

    def _add_own_properties(self, subject: URIRef, data: dict[str, Any],
                            properties: dict[str, str]) -> None:
        for field, kind in properties.items():
            values = data.get(field)
            for value in (values or []) if field in MULTIPLE else [values]:
                if value in (None, ""):
                    continue
                if kind == TEXT:
                    node = Literal(value, lang=LANGUAGE)
                elif kind == INTEGER:
                    node = Literal(int(value), datatype=XSD.nonNegativeInteger)
                elif vocabularies.term(kind, value):
                    node = skos.term_uri(kind, value)
                else:
                    continue
                self.g.add((subject, own_property(field), node))

    def _add_data_dictionary(self, dataset_ref: URIRef, items: list[dict[str, Any]]) -> None:
        """The data items as a CSV on the Web table schema, its columns in order."""
        if not items:
            return
        schema, columns = BNode(), []
        for item in items:
            column = BNode()
            self.g.add((column, RDF.type, CSVW.Column))
            self.g.add((column, CSVW.name, Literal(item.get("name_en"))))
            self.g.add((column, CSVW.titles, Literal(item.get("name_zh"), lang=LANGUAGE)))
            for field, vocabulary in ITEM_TERMS.items():
                if vocabularies.term(vocabulary, item.get(field) or ""):
                    self.g.add((column, own_property(field),
                                skos.term_uri(vocabulary, item[field])))
            if item.get("mandatory"):
                self.g.add((column, CSVW.required,
                            Literal(item["mandatory"] == "yes", datatype=XSD.boolean)))
            for field in ITEM_TEXTS:
                if item.get(field):
                    self.g.add((column, own_property(field), Literal(item[field])))
            if item.get("description"):
                self.g.add((column, DCT.description,
                            Literal(item["description"], lang=LANGUAGE)))
            columns.append(column)
        self.g.add((dataset_ref, CSVW.tableSchema, schema))
        self.g.add((schema, RDF.type, CSVW.Schema))
        column_list = BNode()
        Collection(self.g, column_list, columns)
        self.g.add((schema, CSVW.column, column_list))

    def _dcat_ap_view(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """The dataset with our fields under the keys the DCAT-AP profile reads."""
        view = {key: value for key, value in dataset_dict.items() if key not in OWN_FIELDS}
        terms = {
            # The identifier that never changes; the catalog code, which follows the
            # department's provider code, is another identifier of the dataset.
            "identifier": dataset_dict.get("identifier"),
            "alternate_identifier": ([dataset_dict["catalog_code"]]
                                     if dataset_dict.get("catalog_code") else None),
            "title_translated": _in_language(dataset_dict.get("title")),
            "notes_translated": _in_language(dataset_dict.get("notes")),
            "access_rights": ACCESS_RIGHTS.get(dataset_dict.get("open_category")),
            "frequency": FREQUENCIES.get(dataset_dict.get("update_frequency")),
            # Without them the DCAT-AP profile falls back to the record's own dates.
            "issued": dataset_dict.get("first_published"),
            "modified": dataset_dict.get("last_updated"),
            "publisher": self._publisher(dataset_dict),
            "language": [str(authorities.CHINESE)],
            "url": _page(dataset_dict),
        }
        view.update({key: value for key, value in terms.items() if value})
        licence = _licence(dataset_dict)
        view["resources"] = [self._distribution_view(dataset_dict, resource, licence)
                             for resource in dataset_dict.get("resources", [])]
        return view

    def _distribution_view(self, dataset_dict: dict[str, Any], resource_dict: dict[str, Any],
                           licence: Optional[str]) -> dict[str, Any]:
        """A resource under the keys the DCAT-AP profile reads. The links to the data
        (url, access_url, download_url) reach the graph only through here, so a decision
        on who may get the data has one place to act: a resource whose data the user may
        not get is reached through the page that says how to apply, never the data."""
        view = dict(resource_dict)
        code = resource_dict.get("format") or ""
        file_type, media_type = authorities.file_type(code), authorities.media_type(code)
        # Our format is a code of a controlled list; DCAT-AP wants the terms of two others.
        view["format"] = str(file_type) if file_type else None
        view["mimetype"] = str(media_type) if media_type else None
        terms = {
            "name_translated": _in_language(resource_dict.get("name")),
            "description_translated": _in_language(resource_dict.get("description")),
            "modified": resource_dict.get("last_updated"),
            "license": licence,
            "rights": _in_language(_conditions(dataset_dict)),
        }
        if not (resource_dict.get("data_access") or {}).get("allowed", True):
            terms["access_url"] = (licences.application_url(dataset_dict)
                                   if dataset_dict.get("open_category") == "conditional"
                                   else _page(dataset_dict))
        view.update({key: value for key, value in terms.items() if value})
        return view

    def _publisher(self, dataset_dict: dict[str, Any]) -> Optional[list[dict[str, Any]]]:
        """The providing department as a DCAT-AP agent; its provider code is not in the
        dataset's copy of the organization."""
        organization = dataset_dict.get("organization")
        if not organization:
            return None
        departments = _DEPARTMENTS.setdefault(self.g, {})
        department = departments.get(organization["id"])
        if department is None:
            department = departments[organization["id"]] = tk.get_action("organization_show")(
                {"ignore_auth": True},
                {"id": organization["id"], "include_dataset_count": False,
                 "include_users": False, "include_groups": False, "include_followers": False})
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
                self.g.add((node, SKOS.prefLabel,
                            Literal(term[lang], lang=skos.rdf_language(lang))))

    def _add_terms(self, subject: Node, predicate: URIRef, rdf_class: URIRef, vocabulary: str,
                   codes: Iterable[str]) -> None:
        for code in codes:
            if vocabularies.term(vocabulary, code) is None:
                continue
            node = skos.term_uri(vocabulary, code)
            self.g.add((subject, predicate, node))
            self.g.add((node, RDF.type, rdf_class))
            if rdf_class == SKOS.Concept:
                self.g.add((node, SKOS.inScheme, skos.scheme_uri(vocabulary)))
            self.g.add((node, DCT.identifier, Literal(code)))
            self._add_labels(node, vocabulary, code)
            match = authorities.THEME_MATCHES.get(vocabulary, {}).get(code)
            if match:
                self._add_eu_theme(subject, node, *match)

    def _add_eu_theme(self, subject: Node, node: URIRef, match: str, theme: str) -> None:
        """Our theme's EU data theme, on the dataset too, for harvesters that know only
        the EU's."""
        eu_theme = authorities.DATA_THEME[theme]
        self.g.add((node, SKOS[match], eu_theme))
        self.g.add((subject, DCAT.theme, eu_theme))
        self.g.add((eu_theme, RDF.type, SKOS.Concept))
        self.g.add((eu_theme, SKOS.inScheme, authorities.DATA_THEME_SCHEME))
        self.g.add((eu_theme, SKOS.prefLabel,
                    Literal(authorities.DATA_THEMES[theme], lang="en")))

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
            "identifier": extras.get("identifier"),
            "catalog_code": self._catalog_code(dataset_ref),
            "open_category": authorities.code_of(ACCESS_RIGHTS, extras.get("access_rights")),
            "update_frequency": authorities.code_of(FREQUENCIES, extras.get("frequency")),
            "first_published": self._date(dataset_ref, DCT.issued),
            "last_updated": self._date(dataset_ref, DCT.modified),
            "contact_phone": self._contact_phone(dataset_ref),
            "domain": next(iter(self._term_codes(dataset_ref, DCAT.theme, "domain")), None),
            "theme": self._term_codes(dataset_ref, DCAT.theme, "theme"),
            "spatial_coverage": self._term_codes(dataset_ref, DCT.spatial, "spatial"),
            "industry": next(iter(self._term_codes(dataset_ref, DCAT.theme, "industry")), None),
            "name": _name_of_page(dataset_dict.get("url")),
            "data_dictionary": self._data_dictionary(dataset_ref),
            **self._own_values(dataset_ref, OWN_DATASET_PROPERTIES),
        }
        conditions_field = CONDITIONS.get(read["open_category"])
        rights = self._object(dataset_ref, DCT.rights)
        if conditions_field and rights is not None:
            read[conditions_field] = self._object_value(rights, RDFS.label)
        dataset_dict.update({key: value for key, value in read.items() if value})
        for resource in dataset_dict.get("resources", []):
            distribution = URIRef(resource["distribution_ref"])
            resource.update({key: value for key, value in self._own_values(
                distribution, OWN_RESOURCE_PROPERTIES).items() if value is not None})
            last_updated = self._date(distribution, DCT.modified)
            if last_updated:
                resource["last_updated"] = last_updated
        # The DCAT-AP profile put every dcat:theme URI here; only our terms fit the field.
        dataset_dict["theme"] = read["theme"]

        # The extras the DCAT-AP profile made of what is now in our fields.
        consumed = {"identifier", "alternate_identifier", "access_rights", "frequency",
                    "issued", "modified"}
        if read["spatial_coverage"]:
            consumed |= {"spatial_uri", "spatial_text"}
        dataset_dict["extras"] = [extra for extra in dataset_dict.get("extras", [])
                                  if extra["key"] not in consumed]
        return dataset_dict

    def _catalog_code(self, dataset_ref: URIRef) -> Optional[str]:
        """The notation of the dataset's other identifier (adms:identifier), which the
        DCAT-AP profile reads as the identifier node itself."""
        for node in self.g.objects(dataset_ref, ADMS.identifier):
            notation = self._object_value(node, SKOS.notation)
            if notation:
                return notation
        return None

    def _date(self, subject: Node, predicate: URIRef) -> Optional[str]:
        """Our dates are days; a date and time is the record's own, which DCAT-AP puts
        there when the field is empty."""
        value = self._object(subject, predicate)
        if isinstance(value, Literal) and value.datatype == XSD.date:
            return _iso_date(str(value))
        return None

    def _own_values(self, subject: Node, properties: dict[str, str]) -> dict[str, Any]:
        """Our own properties of `subject`, whichever portal's base URI they have."""
        found = {}
        for predicate, node in self.g.predicate_objects(subject):
            _, separator, field = str(predicate).rpartition(OWN_NAMESPACE)
            kind = properties.get(field) if separator else None
            if kind in (TEXT, INTEGER):
                value = node.toPython()
            elif kind:
                value = skos.term_code(node, kind)
            else:
                continue
            if field in MULTIPLE:
                found.setdefault(field, []).append(value)
            else:
                found[field] = value
        return found

    def _data_dictionary(self, dataset_ref: URIRef) -> list[dict[str, Any]]:
        items = []
        for schema in self.g.objects(dataset_ref, CSVW.tableSchema):
            for column_list in self.g.objects(schema, CSVW.column):
                for column in Collection(self.g, column_list):
                    item = {
                        "name_en": self._object_value(column, CSVW.name),
                        "name_zh": self._object_value(column, CSVW.titles),
                        "description": self._object_value(column, DCT.description),
                        **self._own_values(column, dict(
                            ITEM_TERMS, **dict.fromkeys(ITEM_TEXTS, TEXT))),
                    }
                    items.append({key: value for key, value in item.items() if value})
        return items

    def _term_codes(self, dataset_ref: URIRef, predicate: URIRef, vocabulary: str) -> list[str]:
        codes = (skos.term_code(node, vocabulary)
                 for node in self.g.objects(dataset_ref, predicate))
        return [code for code in codes if code]

    def _contact_phone(self, dataset_ref: URIRef) -> Optional[str]:
        for contact in self.g.objects(dataset_ref, DCAT.contactPoint):
            telephone = self._object(contact, VCARD.hasTelephone)
            if telephone is not None:
                return phone_from_uri(str(telephone))
        return None


def _conditions(dataset_dict: dict[str, Any]) -> Optional[str]:
    field = CONDITIONS.get(dataset_dict.get("open_category"))
    return dataset_dict.get(field) if field else None


def _licence(dataset_dict: dict[str, Any]) -> Optional[str]:
    """The dataset's licence as a term of the EU licence table where it has one."""
    eu = authorities.LICENCES.get(dataset_dict.get("license_id"))
    return str(eu) if eu else licences.licence_url(dataset_dict)


def _page(dataset_dict: dict[str, Any]) -> Optional[str]:
    name = dataset_dict.get("name")
    return "{}/dataset/{}".format(catalog_uri().rstrip("/"), name) if name else None


def _name_of_page(url: Optional[str]) -> Optional[str]:
    """The dataset's name in the URL of its page, which is its landing page."""
    path, _, name = (url or "").rstrip("/").rpartition("/")
    return name if path.endswith("/dataset") and name else None


def _in_language(text: Optional[str]) -> Optional[dict[str, str]]:
    return {LANGUAGE: text} if text else None


def _iso_date(value: Optional[str]) -> Optional[str]:
    parsed = parse_date(value) if value else None
    return parsed.isoformat() if parsed else None
