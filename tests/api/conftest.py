from tests.cases.conftest import new_case, staff  # noqa: F401 - shared case factories
from tests.disbursements.conftest import donate  # noqa: F401 - gives through the case form and the sandbox
