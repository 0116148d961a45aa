"""Every action and every route the portal serves, each in one class of access.

The classes:
- public: anyone may call it; its answer holds nothing the policy guards, or CKAN's own auth
  keeps it to its owner (one's own tokens, sysadmin settings);
- filtered: anyone may call it; its answer passes through the policy (permission labels, or
  an action or auth function chained in this package or, for the DataStore loader's,
  in datastore_load);
- staff: department members and the big-data authority only;
- disabled: sysadmins only;
- change: a write, or one of the portal's own actions, whose auth function decides who.

What is not listed is refused to everyone but sysadmins (the guard in views/access.py and the
chained auth functions in access/auth.py), so an action or page that a plugin adds later stays
closed until it is classified here; a test fails while anything registered is unclassified.
"""
from __future__ import annotations

from typing import Optional

PUBLIC, FILTERED, STAFF, DISABLED, CHANGE = "public", "filtered", "staff", "disabled", "change"


def _names(text: str) -> list[str]:
    return text.split()


ACTIONS: dict[str, str] = {
    **dict.fromkeys(_names("""
        am_following_dataset am_following_group am_following_user api_token_list
        config_option_list config_option_show dataset_followee_count dataset_followee_list
        dataset_follower_count dataset_follower_list followee_count followee_list
        format_autocomplete group_autocomplete group_followee_count group_followee_list
        group_follower_count group_follower_list group_list_authz help_show license_list
        member_roles_list organization_autocomplete organization_followee_count
        organization_followee_list organization_follower_count organization_follower_list
        organization_list_for_user package_collaborator_list
        package_collaborator_list_for_user scheming_dataset_schema_list
        scheming_dataset_schema_show scheming_organization_schema_list
        scheming_organization_schema_show status_show term_translation_show
        user_autocomplete user_followee_count user_followee_list user_follower_count
        user_follower_list user_list user_show vocabulary_list vocabulary_show
        zaozhuang_vocabulary_list
        """), PUBLIC),
    **dict.fromkeys(_names("""
        activity_data_show activity_diff activity_show current_package_list_with_resources
        dashboard_activity_list dashboard_new_activities_count datastore_info
        datastore_search datastore_search_sql dcat_catalog_search dcat_catalog_show
        dcat_dataset_show file_show group_activity_list group_list group_package_show
        group_show organization_activity_list organization_list
        organization_show package_activity_list package_autocomplete package_list
        package_relationships_list package_search package_show
        recently_changed_packages_activity_list resource_search resource_show
        resource_view_list resource_view_show tag_autocomplete tag_list tag_search tag_show
        user_activity_list zaozhuang_dataset_suggest
        """), FILTERED),
    # A resource's load status and job log (which names where the file was fetched from):
    # the providing department's members and the authority (datastore_load/auth.py).
    "xloader_status": FILTERED,
    # Loading a resource again: those who may edit the dataset (xloader's own rule). The
    # hook through which a job reports: the worker alone, with the site user's token.
    "xloader_submit": CHANGE,
    "xloader_hook": CHANGE,
    # Who works in which department.
    "member_list": STAFF,
    # Operational records that can hold data locations (job arguments, task errors).
    **dict.fromkeys(_names("""
        file_owner_scan get_site_user job_list job_show task_status_show
        """), DISABLED),
    **dict.fromkeys(_names("""
        activity_create activity_delete activity_delete_all activity_delete_counts
        api_token_create api_token_revoke bulk_update_delete bulk_update_private
        bulk_update_public config_option_update dashboard_mark_activities_old dataset_purge
        datastore_create datastore_delete datastore_function_create datastore_function_delete
        datastore_records_delete datastore_run_triggers datastore_upsert file_create
        file_delete file_ownership_transfer file_pin file_register file_rename file_unpin
        follow_dataset follow_group follow_user group_create group_delete
        group_member_create group_member_delete group_patch group_purge group_update
        job_cancel job_clear member_create member_delete organization_create
        organization_delete organization_member_create organization_member_delete
        organization_patch organization_purge organization_update
        package_collaborator_create package_collaborator_delete package_create
        package_create_default_resource_views package_delete package_owner_org_update
        package_patch package_relationship_create package_relationship_delete
        package_relationship_update package_resource_reorder package_revise package_update
        resource_create resource_create_default_resource_views resource_delete resource_patch
        resource_update resource_view_clear resource_view_create resource_view_delete
        resource_view_reorder resource_view_update send_email_notifications tag_create
        tag_delete task_status_delete task_status_update task_status_update_many
        term_translation_update term_translation_update_many unfollow_dataset
        unfollow_group unfollow_user user_create user_delete user_invite user_patch
        user_update vocabulary_create vocabulary_delete vocabulary_update
        """), CHANGE),
}

# The portal's own actions each have an auth function of their own.
OWN_ACTION_PREFIX = "zaozhuang_"

# Routes, by endpoint. Pages show what the (filtered) actions behind them return; the data
# routes are guarded by the gate before CKAN serves them (views/access.py).
ROUTES: dict[str, str] = {
    **dict.fromkeys(_names("""
        static webassets.index home.index home.about home.robots_txt home.redirect_locale
        api.get_api api.action api.i18n_js_translations api.dataset_autocomplete
        api.format_autocomplete api.group_autocomplete api.organization_autocomplete
        api.tag_autocomplete api.user_autocomplete
        user.login user.logout user.logged_out_page user.register user.request_reset
        user.perform_reset user.me user.read user.read_groups user.read_organizations
        user.index user.edit user.api_tokens user.api_tokens_revoke user.followers
        user.follow user.unfollow user.delete user.sysadmin
        dashboard.datasets dashboard.groups dashboard.organizations activity.dashboard
        admin.index admin.config admin.reset_config admin.trash activity.admin_activities
        zaozhuang_applications.agreement zaozhuang_applications.agreement_print
        zaozhuang_applications.apply zaozhuang_applications.decide
        zaozhuang_applications.edit zaozhuang_applications.grants
        zaozhuang_applications.mine zaozhuang_applications.queue
        zaozhuang_applications.read zaozhuang_applications.reports
        zaozhuang_applications.revoke zaozhuang_applications.step
        zaozhuang_catalog.export zaozhuang_catalog.overdue zaozhuang_catalog.template
        zaozhuang_front.policy zaozhuang_front.terms zaozhuang_front.privacy
        zaozhuang_front.js_translations zaozhuang_supervision.index zaozhuang_quality.check
        zaozhuang_incidents.index zaozhuang_incidents.export zaozhuang_incidents.new
        zaozhuang_incidents.read zaozhuang_incidents.note zaozhuang_incidents.freeze
        zaozhuang_incidents.close zaozhuang_audit.index zaozhuang_audit.export
        zaozhuang_duplicates.index zaozhuang_duplicates.resolve
        zaozhuang_reports.index zaozhuang_reports.read zaozhuang_reports.export
        zaozhuang_vocabulary.index zaozhuang_vocabulary.scheme zaozhuang_vocabulary.term
        zaozhuang_vocabulary.catalog_properties
        zaozhuang_showcases.new zaozhuang_showcases.queue zaozhuang_showcases.step
        zaozhuang_showcases.rate zaozhuang_showcases.moderate
        """), PUBLIC),
    **dict.fromkeys(_names("""
        zaozhuang_front.index zaozhuang_data_api.read
        zaozhuang_participation.request_index zaozhuang_participation.request_new
        zaozhuang_participation.request_read zaozhuang_participation.request_step
        zaozhuang_participation.request_export zaozhuang_participation.correction_index
        zaozhuang_participation.correction_new zaozhuang_participation.correction_read
        zaozhuang_participation.correction_step zaozhuang_participation.queue
        zaozhuang_showcases.index zaozhuang_showcases.read zaozhuang_showcases.image
        dataset.search dataset.read dataset.resources dataset.followers dataset.follow
        dataset.unfollow dataset.groups dataset.new dataset.edit dataset.delete
        resource.read resource.new resource.edit resource.delete resource.views
        resource.edit_view resource.download resource.view
        dataset_resource.read dataset_resource.new dataset_resource.edit
        dataset_resource.delete dataset_resource.views dataset_resource.edit_view
        dataset_resource.download dataset_resource.view
        datastore.dump datastore.dictionary datastore.api_info
        datatablesview.ajax datatablesview.filtered_download
        dcat.read_catalog dcat.read_dataset dcat.read_dataset_series
        feeds.general feeds.custom feeds.group feeds.organization feeds.tag
        file.download file.public_download file.trusted_download
        group.index group.read group.about group.members group.followers group.follow
        group.unfollow group.new group.edit group.delete group.admins group.bulk_process
        group.manage_members group.member_new group.member_delete group.member_dump
        organization.index organization.read organization.about organization.members
        organization.followers organization.follow organization.unfollow organization.new
        organization.edit organization.delete organization.admins
        organization.bulk_process organization.manage_members organization.member_new
        organization.member_delete organization.member_dump
        activity.package_activity activity.package_changes activity.package_changes_multiple
        activity.package_history activity.resource_history activity.group_activity
        activity.group_changes activity.group_changes_multiple
        activity.organization_activity activity.organization_changes
        activity.organization_changes_multiple activity.user_activity
        """), FILTERED),
    # A resource's DataStore tab (load status, the reload button) and the confirmation
    # before its table is deleted: department staff; the actions behind them decide for
    # which datasets (xloader_status, xloader_submit, datastore_delete).
    "xloader.resource_data": STAFF,
    "xloader.delete_datastore_table": STAFF,
    # Developer pages of CKAN's test configuration.
    **dict.fromkeys(_names("""
        util.primer util.custom_form_fields util.internal_redirect activity.dashboard_testing
        """), DISABLED),
}


def action_class(name: str) -> Optional[str]:
    if name.startswith(OWN_ACTION_PREFIX):
        return CHANGE
    return ACTIONS.get(name)


def route_class(endpoint: Optional[str]) -> Optional[str]:
    return ROUTES.get(endpoint or "")
