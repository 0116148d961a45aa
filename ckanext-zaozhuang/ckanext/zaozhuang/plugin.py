"""The Zaozhuang portal plugin: declares interfaces and delegates each to its module."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.lib import i18n
from ckan.lib.plugins import DefaultTranslation
from ckanext.xloader.interfaces import IXloader

from ckanext.zaozhuang import registry, views
from ckanext.zaozhuang.agreements import actions as agreement_actions
from ckanext.zaozhuang.agreements import model as _agreements_model  # noqa: F401 (tables)
from ckanext.zaozhuang.access import model as _access_model  # noqa: F401 (tables)
from ckanext.zaozhuang.access import activity, files, policy, redaction
from ckanext.zaozhuang.catalog import freshness
from ckanext.zaozhuang.datastore_load import actions as load_actions, encoding, reload, worker
from ckanext.zaozhuang.participation.ratings import actions as ratings
from ckanext.zaozhuang.quality import jobs as quality_jobs
from ckanext.zaozhuang.quality import model as _quality_model  # noqa: F401 (tables)
from ckanext.zaozhuang.schema import licences, validators
from ckanext.zaozhuang.search import facets, index, query, spelling
from ckanext.zaozhuang.uploads import uploader
from ckanext.zaozhuang.usage import model as _usage_model  # noqa: F401 (tables)
from ckanext.zaozhuang.views import usage as usage_views


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators(validators.get_validators)
@tk.blanket.actions(registry.actions)
@tk.blanket.auth_functions(registry.auth_functions)
@tk.blanket.blueprints(views.blueprints)
class ZaozhuangPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IOrganizationController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IFiles, inherit=True)
    p.implements(p.IUploader, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(IXloader, inherit=True)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "zaozhuang")
        encoding.read_gb18030_when_not_utf8()
        worker.install()

    # IMiddleware

    def make_middleware(self, app: Any, config: Any) -> Any:
        # CKAN fills its action and auth function tables on first use, without a lock:
        # concurrent first requests after start would read half-filled tables and answer
        # 500 ("Authorization function not found"). Fill them while the app is built.
        authz.auth_functions_list()
        tk.get_action("status_show")
        # CKAN writes the scripts' messages (/api/i18n/<lang>) only in `ckan run`; gunicorn
        # and the tests build the app here, and without them every message a script writes
        # (the image upload's buttons among them) stays English. Rewritten only when a
        # catalog is newer.
        i18n.build_js_translations()
        return app

    # IPackageController

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return query.with_chinese_fields(search_params)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        # A search that names its fields (`fl`) gets those fields alone; CKAN asks Solr for
        # the stored dataset when it names none.
        if search_params.get("fl") in ("id validated_data_dict", "id data_dict"):
            for dataset in search_results["results"]:
                freshness.annotate(dataset)
                uploader.unmark_names_shown(dataset)
            ratings.annotate(search_results["results"])
        spelling.offer(search_results, search_params)
        return facets.label_facet_items(search_results)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return index.dataset_document(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        activity.relabel_activities(pkg_dict["id"])
        reload.after_dataset_update(pkg_dict)

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        activity.relabel_activities(pkg_dict["id"])
        agreement_actions.end_grants_of_dataset(pkg_dict["id"], context.get("user"))

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        usage_views.note_shown(pkg_dict)
        ratings.drop_result_fields(pkg_dict)
        freshness.annotate(pkg_dict)
        licences.show_url(pkg_dict)
        # Internal reads (indexing, the system's own updates) see everything; the search
        # results built from the index are redacted per user by the chained package_search.
        if not context.get("ignore_auth"):
            redaction.redact_dataset(context.get("user"), pkg_dict)

    # IOrganizationController (IPackageController names its hook `edit` too)

    def edit(self, entity: Any) -> None:
        if isinstance(entity, model.Group):
            index.reindex_department(entity)

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return policy.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return policy.user_labels(user_obj)

    # IFiles

    def files_file_allows(self, context: Any, file: Any, operation: str) -> Any:
        return files.file_allows(context, file, operation)

    # IUploader

    def get_resource_uploader(self, data_dict: dict[str, Any]) -> Any:
        return uploader.resource_uploader(data_dict)

    # IResourceController

    def before_resource_show(self, resource_dict: dict[str, Any]) -> dict[str, Any]:
        uploader.show_upload_name(resource_dict)
        return resource_dict

    def after_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        quality_jobs.enqueue(resource["id"])

    def before_resource_update(self, context: Any, current: dict[str, Any],
                               resource: dict[str, Any]) -> None:
        reload.before_resource_update(context, current, resource)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        quality_jobs.enqueue(resource["id"])
        reload.after_resource_update(context, resource)

    # IXloader

    def can_upload(self, resource_id: str) -> bool:
        return load_actions.loads(resource_id)

    def after_upload(self, context: Any, resource_dict: dict[str, Any],
                     dataset_dict: dict[str, Any]) -> None:
        load_actions.record_loaded_rows(resource_dict)

    # IFacets

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return facets.dataset_facets()
