"""The ledger queue: confirmed payments' transactions waiting for the writer to seal them onto the chain.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import jood.core.db


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ledger_queue',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('postings', sa.Text(), nullable=False),
    sa.Column('memo', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=True),
    sa.Column('queued_at', jood.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_queue'))
    )
    with op.batch_alter_table('ledger_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_queue_queued_at'), ['queued_at'], unique=False)


def downgrade():
    with op.batch_alter_table('ledger_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_queue_queued_at'))

    op.drop_table('ledger_queue')
