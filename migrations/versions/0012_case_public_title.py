"""Cases: a short public title, and an optional English title and summary, written by the charity.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_title', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('public_title_en', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('public_summary_en', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('public_summary_en')
        batch_op.drop_column('public_title_en')
        batch_op.drop_column('public_title')
