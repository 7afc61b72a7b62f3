"""Cases of the day: the history of which case was featured on which Riyadh day.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'featured_cases',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_featured_cases_case_id_cases')),
        sa.PrimaryKeyConstraint('day', 'case_id', name=op.f('pk_featured_cases')),
    )
    with op.batch_alter_table('featured_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_featured_cases_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('featured_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_featured_cases_case_id'))
    op.drop_table('featured_cases')
