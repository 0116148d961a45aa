"""The controlled vocabularies DCAT-AP asks for, and which of their terms each of our codes is:
the EU authority tables (access rights, frequencies, languages, data themes, file types,
licences) and the IANA media types."""
from __future__ import annotations

from rdflib import Namespace, URIRef

EU = "http://publications.europa.eu/resource/authority/"
ACCESS_RIGHT = Namespace(EU + "access-right/")
FREQUENCY = Namespace(EU + "frequency/")
LANGUAGE = Namespace(EU + "language/")
DATA_THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
LICENCE = Namespace(EU + "licence/")
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")

DATA_THEME_SCHEME = URIRef(EU + "data-theme")

# Opening categories and update frequencies.
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

# The catalog's metadata is written in Chinese.
CHINESE = LANGUAGE.ZHO

# The EU data themes, with the labels of the authority table.
DATA_THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
EXACT, CLOSE = "exactMatch", "closeMatch"

# Our domains and themes as EU data themes: exact where the scopes agree, close where ours is
# narrower or cuts across. 其他 (other) matches none.
THEME_MATCHES = {
    "domain": {
        "credit": (CLOSE, "ECON"),
        "health": (EXACT, "HEAL"),
        "social_security": (CLOSE, "SOCI"),
        "public_safety": (CLOSE, "JUST"),
        "urban_housing": (CLOSE, "REGI"),
        "transport": (EXACT, "TRAN"),
        "education_culture": (CLOSE, "EDUC"),
        "science_innovation": (CLOSE, "TECH"),
        "resources_energy": (CLOSE, "ENER"),
        "ecology_environment": (EXACT, "ENVI"),
        "industry_agriculture": (CLOSE, "AGRI"),
        "commerce": (CLOSE, "ECON"),
        "finance_tax": (CLOSE, "ECON"),
        "work_safety": (CLOSE, "GOVE"),
        "market_supervision": (CLOSE, "ECON"),
        "social_assistance": (CLOSE, "SOCI"),
        "legal_services": (CLOSE, "JUST"),
        "life_services": (CLOSE, "SOCI"),
        "meteorology": (CLOSE, "ENVI"),
        "geospatial": (CLOSE, "REGI"),
        "organizations": (CLOSE, "GOVE"),
    },
    "theme": {
        "public_services": (CLOSE, "GOVE"),
        "health_security": (CLOSE, "HEAL"),
        "social_security": (CLOSE, "SOCI"),
        "food_drug_safety": (CLOSE, "HEAL"),
        "work_safety": (CLOSE, "GOVE"),
        "price_supervision": (CLOSE, "ECON"),
        "energy_security": (CLOSE, "ENER"),
        "credit_system": (CLOSE, "ECON"),
        "urban_rural": (CLOSE, "REGI"),
        "community_governance": (CLOSE, "GOVE"),
        "eco_protection": (CLOSE, "ENVI"),
        "emergency": (CLOSE, "JUST"),
        "base_population": (CLOSE, "SOCI"),
        "base_legal_entity": (CLOSE, "ECON"),
        "base_geospatial": (CLOSE, "REGI"),
        "base_social_credit": (CLOSE, "ECON"),
        "base_e_licences": (CLOSE, "GOVE"),
    },
}

# Resource formats as EU file types and IANA media types. An API is no file: it has neither.
FORMATS: dict[str, tuple[str, str]] = {
    "CSV": ("CSV", "text/csv"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "JSON": ("JSON", "application/json"),
    "XML": ("XML", "application/xml"),
    "RDF": ("RDF", "application/rdf+xml"),
    "GeoJSON": ("GEOJSON", "application/geo+json"),
    "SHP": ("SHP", "application/vnd.shp"),
    "PDF": ("PDF", "application/pdf"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "TXT": ("TXT", "text/plain"),
    "JPEG": ("JPEG", "image/jpeg"),
    "PNG": ("PNG", "image/png"),
    "MP4": ("MP4", "video/mp4"),
    "ZIP": ("ZIP", "application/zip"),
    "SQL": ("SQL", "application/sql"),
}
NOT_A_FILE = frozenset(("API",))

# Licences of the register that the EU licence table has.
LICENCES = {"cc-by-4.0": LICENCE.CC_BY_4_0}


def file_type(format_code: str) -> URIRef | None:
    found = FORMATS.get(format_code)
    return FILE_TYPE[found[0]] if found else None


def media_type(format_code: str) -> URIRef | None:
    found = FORMATS.get(format_code)
    return MEDIA_TYPE[found[1]] if found else None


def format_code(file_type_uri: str) -> str | None:
    """Our format code of an EU file type."""
    return next((code for code in FORMATS if str(file_type(code)) == file_type_uri), None)


def code_of(mapping: dict[str, URIRef], value: object) -> str | None:
    return next((code for code, uri in mapping.items() if str(uri) == value), None)
