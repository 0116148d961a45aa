"""Installs ckanext-zaozhuang, the Zaozhuang open data portal extension for CKAN 2.12."""
from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-zaozhuang",
    version="0.1.0",
    description="Zaozhuang City public data portal (CKAN extension)",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={"": "ckanext-zaozhuang"},
    packages=find_namespace_packages(where="ckanext-zaozhuang", include=["ckanext.*"]),
    include_package_data=True,
    package_data={
        "ckanext.zaozhuang": [
            "*.yaml",
            "config/*.yaml",
            "schema/*.yaml",
            "search/*.yaml",
            "schema/*.json",
            "templates/**/*.html",
            "public/**/*",
            "assets/**/*",
            "i18n/*/LC_MESSAGES/*",
            "migration/zaozhuang/*.ini",
            "migration/zaozhuang/*.mako",
            "migration/zaozhuang/versions/*.py",
            "demo/*",
        ]
    },
    entry_points={
        "ckan.plugins": ["zaozhuang = ckanext.zaozhuang.plugin:ZaozhuangPlugin"],
        "ckan.rdf.profiles": ["zaozhuang = ckanext.zaozhuang.dcat.profiles:ZaozhuangDCATProfile"],
        "babel.extractors": ["ckan = ckan.lib.extract:extract_ckan"],
    },
    zip_safe=False,
)
