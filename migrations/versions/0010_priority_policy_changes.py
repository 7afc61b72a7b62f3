"""The history of the active points policy, and the housing type and last home-ownership date of an applicant.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:20:00

"""
from alembic import op
import sqlalchemy as sa

import jood.core.db


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('priority_policy_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_at', jood.core.db.UTCDateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("policy IN ('moh-points-v1', 'moh-regulation-2')", name=op.f('ck_priority_policy_changes_policy_known')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_priority_policy_changes_changed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_policy_changes'))
    )
    with op.batch_alter_table('case_applicants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_owned_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('housing_type', sa.String(length=20), server_default='ordinary_unit',
                                      nullable=False))
        batch_op.create_check_constraint(op.f('ck_case_applicants_housing_type_known'),
                                         "housing_type IN ('ordinary_unit', 'housing_complex')")


def downgrade():
    with op.batch_alter_table('case_applicants', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_applicants_housing_type_known'), type_='check')
        batch_op.drop_column('housing_type')
        batch_op.drop_column('home_owned_until')

    op.drop_table('priority_policy_changes')
