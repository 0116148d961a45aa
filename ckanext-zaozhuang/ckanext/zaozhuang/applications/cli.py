"""`ckan zaozhuang applications ...` commands."""
import click

import ckan.plugins.toolkit as tk


@click.group(name="applications", short_help="Applications commands.")
def group() -> None:
    pass


@group.command("send-reminders")
@click.pass_context
def send_reminders(ctx: click.Context) -> None:
    """Queue the reminders due today: grants about to expire, review deadlines near.
    Run daily from cron; each reminder goes out once."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    # A request context gives the mails the portal's language and absolute links.
    with ctx.meta["flask_app"].test_request_context():
        sent = tk.get_action("zaozhuang_application_send_reminders")(
            {"user": site_user["name"]}, {})
    click.echo(f"reminders queued: {sent['expiry']} expiry, {sent['deadline']} deadline")
