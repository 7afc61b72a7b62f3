"""The receipt queue: receipts to render and send off the confirming request.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 03:18:44

"""
from alembic import op
import sqlalchemy as sa

import jood.core.db


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('receipt_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', jood.core.db.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', jood.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['donation_id'], ['donations.id'], name=op.f('fk_receipt_queue_donation_id_donations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_queue'))
    )
    with op.batch_alter_table('receipt_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_queue_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('receipt_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_queue_next_attempt_at'))

    op.drop_table('receipt_queue')
