"""Moyasar payments: the gateway, the donor's method, partial refunds and gateway discrepancies.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-01 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('refunded_amount', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('discrepancy', sa.String(length=300), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_payments_gateway_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_payments_gateway_known'),
                                         "gateway IN ('sandbox', 'stripe', 'moyasar')")
        batch_op.create_check_constraint(batch_op.f('ck_payments_refunded_within_amount'),
                                         'refunded_amount >= 0 AND refunded_amount <= amount')


def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_payments_refunded_within_amount'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_payments_gateway_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_payments_gateway_known'), "gateway IN ('sandbox', 'stripe')")
        batch_op.drop_column('discrepancy')
        batch_op.drop_column('refunded_amount')
        batch_op.drop_column('method')
