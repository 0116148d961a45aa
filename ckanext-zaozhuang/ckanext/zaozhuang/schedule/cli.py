"""`ckan zaozhuang scheduler`: the process that runs the periodic tasks."""
import click

from ckanext.zaozhuang.schedule import scheduler


@click.command(name="scheduler", short_help="Run the periodic tasks at their times.")
@click.option("--once", is_flag=True,
              help="Run what is due now and exit (for a cron entry instead of the process).")
@click.pass_context
def group(ctx: click.Context, once: bool) -> None:
    """Run the periodic tasks (reminders, …) at the times the configuration names, as long as
    the process lives. `make run` and docker-compose.yml start it beside the job worker."""
    app = ctx.meta["flask_app"]
    try:
        scheduler.check_config()
    except ValueError as error:
        raise click.UsageError(str(error))
    if once:
        for name, report in scheduler.tick(app).items():
            click.echo(f"{name}: {report}")
        return
    scheduler.run_forever(app)
