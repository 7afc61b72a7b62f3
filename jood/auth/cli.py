import click
from flask.cli import AppGroup

from jood.auth import services
from jood.auth.roles import Role
from jood.core.unit import unit_of_work

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email, name, password):
    """Create a platform administrator."""
    if services.find_user_by_email(email) is not None:
        raise click.ClickException(f"An account with {email} already exists.")
    if len(password) < 10:
        raise click.ClickException("The password must be at least 10 characters.")
    with unit_of_work():
        services.create_user(email, password, name, role=Role.ADMIN)
    click.echo(f"Admin {email} created.")


commands = [users_cli]
