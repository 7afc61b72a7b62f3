from tests.cases.conftest import count_queries, new_case, staff  # noqa: F401 - shared case factories
