from sqlalchemy import func, select

from jood.audit.models import AuditEntry
from jood.audit.services import record
from jood.extensions import db
from jood.jobs import REGISTRY, Job


def test_jobs_run_once_commit_their_work_and_report_failures(app):
    def writes():
        record("test.job", "job", 1)
        return "wrote one"

    def fails():
        record("test.job", "job", 2)
        raise RuntimeError("boom")

    REGISTRY["test-writes"] = Job("test-writes", 60, writes)
    REGISTRY["test-fails"] = Job("test-fails", 60, fails)
    try:
        runner = app.test_cli_runner()
        result = runner.invoke(args=["jobs", "run", "--once", "--only", "test-writes", "--only", "test-fails"])
        assert "test-writes: ok wrote one" in result.output
        assert "test-fails: FAILED boom" in result.output
        assert result.exit_code == 1
        # The failing job rolled back; the good one committed.
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
    finally:
        REGISTRY.pop("test-writes")
        REGISTRY.pop("test-fails")


def test_a_redis_outage_skips_the_claim_and_keeps_the_scheduler_alive(app, monkeypatch):
    from jood import jobs

    item = jobs.Job("probe", 60, lambda: None)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens there
    assert jobs._claim(item) is False  # no exception: the runner goes on and tries again next round
