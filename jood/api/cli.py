"""CLI commands of this feature; the app factory registers every command in `commands`."""

commands: list = []
