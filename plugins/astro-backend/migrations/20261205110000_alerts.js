// @ts-check

/**
 * Alerts: rules on a workspace or one Deployment (what to alert on and
 * where to send it), and one delivery row per (rule, event, channel). The
 * delivery's unique key is inserted before anything is sent, so two
 * replicas handling the same event send it once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('alert_rules', table => {
    table.string('id', 36).primary();
    table
      .string('organization_id', 36)
      .notNullable()
      .references('id')
      .inTable('organizations')
      .onDelete('CASCADE');
    table
      .string('workspace_id', 36)
      .notNullable()
      .references('id')
      .inTable('workspaces')
      .onDelete('CASCADE');
    table
      .string('deployment_id', 36)
      .nullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE')
      .comment('null: the rule covers every Deployment of the workspace');
    table.string('name', 100).notNullable();
    table
      .string('type', 32)
      .notNullable()
      .comment('dag-failure, dag-duration or incident');
    table
      .text('condition')
      .notNullable()
      .comment('JSON: dagIds, thresholdMinutes, minSeverity');
    table
      .text('channels')
      .notNullable()
      .comment('JSON; secret values only as SecretBox ciphertexts');
    table.boolean('enabled').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('created_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by').notNullable();
    table.integer('version').notNullable();
    table.index(['workspace_id', 'deployment_id'], 'alert_rules_scope_idx');
  });
  await knex.schema.createTable('alert_deliveries', table => {
    table.bigIncrements('id').primary();
    table
      .string('delivery_key', 400)
      .notNullable()
      .unique()
      .comment('rule, event and channel: inserted first, so it is sent once');
    table
      .string('rule_id', 36)
      .notNullable()
      .references('id')
      .inTable('alert_rules')
      .onDelete('CASCADE');
    table.string('deployment_id', 36).nullable();
    table.string('event_type', 32).notNullable();
    table.string('channel_id', 36).notNullable();
    table.string('channel_type', 32).notNullable();
    table.string('title', 300).notNullable();
    table.string('status', 16).notNullable().comment('sending, sent or failed');
    table.integer('attempts').notNullable();
    table.text('error').nullable().comment('Never holds secret values');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['rule_id', 'id'], 'alert_deliveries_rule_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('alert_deliveries');
  await knex.schema.dropTable('alert_rules');
};
