"""Append-only, enforced by the database: UPDATE and DELETE refused on the ledger's transactions and postings and
on the audit log.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLES = ('ledger_transactions', 'ledger_entries', 'audit_entries')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("""
            CREATE FUNCTION jood_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$
        """)
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION jood_refuse_change()")
    else:  # SQLite: one trigger per statement kind
        for table in TABLES:
            for kind in ('UPDATE', 'DELETE'):
                op.execute(f"CREATE TRIGGER {table}_no_{kind.lower()} BEFORE {kind} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {kind} refused'); END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION jood_refuse_change()")
    else:
        for table in TABLES:
            for kind in ('update', 'delete'):
                op.execute(f"DROP TRIGGER {table}_no_{kind}")
