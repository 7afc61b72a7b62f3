"""Moyasar payments: the gateway, the donor's method, partial refunds, gateway discrepancies, saved cards.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:30:00

"""
from alembic import op
import sqlalchemy as sa

import jood.core.db


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
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

    with op.batch_alter_table('recurring_gifts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_token', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('card_label', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('consent_at', jood.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('recurring_gifts', schema=None) as batch_op:
        batch_op.drop_column('failed_attempts')
        batch_op.drop_column('consent_at')
        batch_op.drop_column('card_label')
        batch_op.drop_column('card_token')

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_payments_refunded_within_amount'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_payments_gateway_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_payments_gateway_known'), "gateway IN ('sandbox', 'stripe')")
        batch_op.drop_column('discrepancy')
        batch_op.drop_column('refunded_amount')
        batch_op.drop_column('method')
