"""The initial schema: customers, products, purchases, quotes, reward cards, staff, changes, tasks, logs, scripts, settings.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('unit_price_cents', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('length(trim(sku)) > 0', name=op.f('ck_products_sku_not_blank')),
    sa.CheckConstraint('unit_price_cents IS NULL OR unit_price_cents >= 0', name=op.f('ck_products_price_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('sku', name=op.f('uq_products_sku'))
    )
    op.create_table('reminders_shown',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('shown_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_reminders_shown'))
    )
    op.create_table('scripts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('change_heads_up', 'change_samples', 'change_concerns', 'change_follow_up', 'post_purchase', 'neglected', 'quote', 'rewards', 'keep_in_touch', 'callback', name='script_reason', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('length(trim(title)) > 0', name=op.f('ck_scripts_title_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scripts')),
    sa.UniqueConstraint('reason', name=op.f('uq_scripts_reason'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('staff_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('daily_quota', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('daily_quota >= 0 AND daily_quota <= 200', name=op.f('ck_staff_members_quota_range')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_staff_members_name_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_members')),
    sa.UniqueConstraint('name', name=op.f('uq_staff_members_name'))
    )
    op.create_table('changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('price_increase', 'discontinued', 'replacement', 'other', name='change_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('talking_points', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('active', 'cancelled', name='change_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('announced_on', sa.Date(), nullable=False),
    sa.Column('window_start_days', sa.Integer(), nullable=False),
    sa.Column('window_end_days', sa.Integer(), nullable=False),
    sa.Column('capacity_share', sa.Double(), nullable=False),
    sa.Column('samples_count', sa.Integer(), nullable=False),
    sa.Column('replacement_product_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('capacity_share > 0 AND capacity_share <= 1', name=op.f('ck_changes_capacity_share_range')),
    sa.CheckConstraint('length(trim(title)) > 0', name=op.f('ck_changes_title_not_blank')),
    sa.CheckConstraint('samples_count >= 0', name=op.f('ck_changes_samples_not_negative')),
    sa.CheckConstraint('window_start_days >= window_end_days AND window_end_days >= 0', name=op.f('ck_changes_window_order')),
    sa.ForeignKeyConstraint(['replacement_product_id'], ['products.id'], name=op.f('fk_changes_replacement_product_id_products'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_changes'))
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('company', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('tags', sa.String(length=500), nullable=True),
    sa.Column('birthday', sa.Date(), nullable=True),
    sa.Column('do_not_call', sa.Boolean(), nullable=False),
    sa.Column('needs_data_fix', sa.Boolean(), nullable=False),
    sa.Column('preferred_call_time', sa.Time(), nullable=True),
    sa.Column('keep_in_touch_days', sa.Integer(), nullable=True),
    sa.Column('assigned_staff_id', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('imported_last_purchase', sa.Date(), nullable=True),
    sa.Column('imported_total_spent_cents', sa.Integer(), nullable=True),
    sa.Column('imported_order_count', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('keep_in_touch_days IS NULL OR keep_in_touch_days > 0', name=op.f('ck_customers_cadence_positive')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_customers_name_not_blank')),
    sa.ForeignKeyConstraint(['assigned_staff_id'], ['staff_members.id'], name=op.f('fk_customers_assigned_staff_id_staff_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('external_id', name=op.f('uq_customers_external_id'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index('ix_customers_email', ['email'], unique=False)
        batch_op.create_index('ix_customers_name', ['name'], unique=False)
        batch_op.create_index('ix_customers_phone', ['phone'], unique=False)

    op.create_table('change_customers',
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['change_id'], ['changes.id'], name=op.f('fk_change_customers_change_id_changes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_change_customers_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('change_id', 'customer_id', name=op.f('pk_change_customers'))
    )
    op.create_table('change_products',
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['change_id'], ['changes.id'], name=op.f('fk_change_products_change_id_changes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_change_products_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('change_id', 'product_id', name=op.f('pk_change_products'))
    )
    op.create_table('customer_phones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_phones_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_phones')),
    sa.UniqueConstraint('customer_id', 'number', name='uq_customer_phones_customer_number')
    )
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_phones_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phones_number'), ['number'], unique=False)

    op.create_table('purchases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('purchased_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('sale', 'installation', name='purchase_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('import_key', sa.String(length=200), nullable=True),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_purchases_amount_not_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchases_quantity_positive')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_purchases_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchases_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchases')),
    sa.UniqueConstraint('import_key', name=op.f('uq_purchases_import_key'))
    )
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.create_index('ix_purchases_customer_date', ['customer_id', 'purchased_on'], unique=False)
        batch_op.create_index('ix_purchases_product_date', ['product_id', 'purchased_on'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'won', 'lost', name='quote_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status = 'open' OR decided_on IS NOT NULL", name=op.f('ck_quotes_decided_has_date')),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_quotes_amount_not_negative')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_quotes_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_quotes_staff_id_staff_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_quotes_status', ['status'], unique=False)

    op.create_table('reward_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('stamps', sa.Integer(), nullable=False),
    sa.Column('stamps_needed', sa.Integer(), nullable=False),
    sa.Column('rewards_redeemed', sa.Integer(), nullable=False),
    sa.Column('last_stamp_on', sa.Date(), nullable=True),
    sa.CheckConstraint('stamps <= stamps_needed', name=op.f('ck_reward_cards_stamps_within_card')),
    sa.CheckConstraint('stamps >= 0', name=op.f('ck_reward_cards_stamps_not_negative')),
    sa.CheckConstraint('stamps_needed > 0', name=op.f('ck_reward_cards_stamps_needed_positive')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_reward_cards_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reward_cards')),
    sa.UniqueConstraint('customer_id', name=op.f('uq_reward_cards_customer_id'))
    )
    op.create_table('call_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('call', 'samples', 'note', 'thank_you', name='task_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.Enum('change_heads_up', 'change_samples', 'change_concerns', 'change_follow_up', 'post_purchase', 'neglected', 'quote', 'rewards', 'keep_in_touch', 'callback', name='task_reason', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('due_time', sa.Time(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('why', sa.String(length=300), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('change_id', sa.Integer(), nullable=True),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('purchase_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'done', 'skipped', 'cancelled', name='task_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('samples_count', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_call_tasks_attempts_not_negative')),
    sa.CheckConstraint('priority >= 0', name=op.f('ck_call_tasks_priority_not_negative')),
    sa.ForeignKeyConstraint(['change_id'], ['changes.id'], name=op.f('fk_call_tasks_change_id_changes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_call_tasks_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['purchase_id'], ['purchases.id'], name=op.f('fk_call_tasks_purchase_id_purchases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_call_tasks_quote_id_quotes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_call_tasks_staff_id_staff_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_tasks')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_call_tasks_dedupe_key'))
    )
    with op.batch_alter_table('call_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_call_tasks_change', ['change_id'], unique=False)
        batch_op.create_index('ix_call_tasks_customer_status', ['customer_id', 'status'], unique=False)
        batch_op.create_index('ix_call_tasks_status_due', ['status', 'due_on'], unique=False)

    op.create_table('call_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('logged_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.Enum('reached', 'voicemail', 'no_answer', 'wrong_number', 'do_not_call', name='call_outcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('result_tags', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_call_logs_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_call_logs_staff_id_staff_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['call_tasks.id'], name=op.f('fk_call_logs_task_id_call_tasks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_logs'))
    )
    with op.batch_alter_table('call_logs', schema=None) as batch_op:
        batch_op.create_index('ix_call_logs_customer_when', ['customer_id', 'logged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_logs_task_id'), ['task_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('call_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_logs_task_id'))
        batch_op.drop_index('ix_call_logs_customer_when')

    op.drop_table('call_logs')
    with op.batch_alter_table('call_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_call_tasks_status_due')
        batch_op.drop_index('ix_call_tasks_customer_status')
        batch_op.drop_index('ix_call_tasks_change')

    op.drop_table('call_tasks')
    op.drop_table('reward_cards')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index('ix_quotes_status')
        batch_op.drop_index(batch_op.f('ix_quotes_customer_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_index('ix_purchases_product_date')
        batch_op.drop_index('ix_purchases_customer_date')

    op.drop_table('purchases')
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_phones_number'))
        batch_op.drop_index(batch_op.f('ix_customer_phones_customer_id'))

    op.drop_table('customer_phones')
    op.drop_table('change_products')
    op.drop_table('change_customers')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('ix_customers_phone')
        batch_op.drop_index('ix_customers_name')
        batch_op.drop_index('ix_customers_email')

    op.drop_table('customers')
    op.drop_table('changes')
    op.drop_table('staff_members')
    op.drop_table('settings')
    op.drop_table('scripts')
    op.drop_table('reminders_shown')
    op.drop_table('products')
