"""`ckan zaozhuang catalog ...` commands."""
import click


@click.group(name="catalog", short_help="Catalog commands.")
def group() -> None:
    pass
