from tests.cases.conftest import new_case, staff  # noqa: F401 - shared case factories
