"""Campaigns: campaigns, region targets, featured cases, league teams and their adopted cases, maintained figures
and donors; donation lines carry the campaign and team they were given through.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 17:34:40.339111

"""
from alembic import op
import sqlalchemy as sa

import jood.core.db


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('hashtag', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title_ar', sa.String(length=160), nullable=False),
    sa.Column('title_en', sa.String(length=160), nullable=False),
    sa.Column('story_ar', sa.Text(), nullable=False),
    sa.Column('story_en', sa.Text(), nullable=False),
    sa.Column('illustration', sa.String(length=40), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('goal_amount', sa.BigInteger(), nullable=True),
    sa.Column('goal_families', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('scope_region', sa.String(length=30), nullable=True),
    sa.Column('scope_charity_id', sa.Integer(), nullable=True),
    sa.Column('scope_track', sa.String(length=20), nullable=True),
    sa.Column('featured_rule', sa.String(length=20), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', jood.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', jood.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("featured_rule IN ('staff', 'neediest')", name=op.f('ck_campaigns_featured_rule_known')),
    sa.CheckConstraint("kind IN ('campaign', 'regions', 'league')", name=op.f('ck_campaigns_kind_known')),
    sa.CheckConstraint("scope IN ('nation', 'region', 'charity', 'track')", name=op.f('ck_campaigns_scope_known')),
    sa.CheckConstraint("status IN ('draft', 'scheduled', 'live', 'ended')", name=op.f('ck_campaigns_status_known')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR end_date >= start_date', name=op.f('ck_campaigns_period_ordered')),
    sa.CheckConstraint('goal_amount IS NULL OR goal_amount > 0', name=op.f('ck_campaigns_goal_amount_positive')),
    sa.CheckConstraint('goal_families IS NULL OR goal_families > 0', name=op.f('ck_campaigns_goal_families_positive')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_campaigns_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['scope_charity_id'], ['charities.id'], name=op.f('fk_campaigns_scope_charity_id_charities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('slug', name=op.f('uq_campaigns_slug'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_status'), ['status'], unique=False)

    op.create_table('campaign_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_cases_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_campaign_cases_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_cases')),
    sa.UniqueConstraint('campaign_id', 'case_id', name='uq_campaign_case')
    )
    with op.batch_alter_table('campaign_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_cases_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_donors',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('donations', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_donors_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('campaign_id', 'key', name=op.f('pk_campaign_donors'))
    )
    op.create_table('campaign_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('raised_amount', sa.BigInteger(), nullable=False),
    sa.Column('gifts', sa.Integer(), nullable=False),
    sa.Column('families', sa.Integer(), nullable=False),
    sa.Column('donors', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_figures_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_figures')),
    sa.UniqueConstraint('campaign_id', 'scope', name='uq_campaign_figure')
    )
    with op.batch_alter_table('campaign_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_figures_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_region_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=30), nullable=False),
    sa.Column('target_amount', sa.BigInteger(), nullable=False),
    sa.Column('target_families', sa.Integer(), nullable=False),
    sa.CheckConstraint('target_amount >= 0 AND target_families >= 0', name=op.f('ck_campaign_region_targets_targets_positive')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_region_targets_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_region_targets')),
    sa.UniqueConstraint('campaign_id', 'region', name='uq_campaign_region')
    )
    with op.batch_alter_table('campaign_region_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_region_targets_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name_ar', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('created_at', jood.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('club', 'school', 'company', 'city')", name=op.f('ck_campaign_teams_kind_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_teams_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_teams'))
    )
    with op.batch_alter_table('campaign_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_teams_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_team_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_campaign_team_cases_case_id_cases')),
    sa.ForeignKeyConstraint(['team_id'], ['campaign_teams.id'], name=op.f('fk_campaign_team_cases_team_id_campaign_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_team_cases')),
    sa.UniqueConstraint('team_id', 'case_id', name='uq_team_case')
    )
    with op.batch_alter_table('campaign_team_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_team_cases_team_id'), ['team_id'], unique=False)

    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('completes_case', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_donation_lines_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_donation_lines_team_id_campaign_teams'), 'campaign_teams', ['team_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_donation_lines_campaign_id_campaigns'), 'campaigns', ['campaign_id'], ['id'])



def downgrade():
    with op.batch_alter_table('donation_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_donation_lines_campaign_id_campaigns'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_donation_lines_team_id_campaign_teams'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_donation_lines_campaign_id'))
        batch_op.drop_column('completes_case')
        batch_op.drop_column('team_id')
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('campaign_team_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_team_cases_team_id'))

    op.drop_table('campaign_team_cases')
    with op.batch_alter_table('campaign_teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_teams_campaign_id'))

    op.drop_table('campaign_teams')
    with op.batch_alter_table('campaign_region_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_region_targets_campaign_id'))

    op.drop_table('campaign_region_targets')
    with op.batch_alter_table('campaign_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_figures_campaign_id'))

    op.drop_table('campaign_figures')
    op.drop_table('campaign_donors')
    with op.batch_alter_table('campaign_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_cases_campaign_id'))

    op.drop_table('campaign_cases')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_status'))

    op.drop_table('campaigns')
