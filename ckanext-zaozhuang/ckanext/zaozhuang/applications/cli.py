"""`ckan zaozhuang applications ...` commands."""
import click


@click.group(name="applications", short_help="Applications commands.")
def group() -> None:
    pass
