"""Demo data of this feature, called by `flask seed-demo` (must be idempotent)."""


def seed() -> dict[str, int]:
    return {}
