// @ts-check

/**
 * State of the provisioning engine and the monitor: what was applied to
 * each Deployment's cluster (and who holds the lease to reconcile it), its
 * Airflow health samples and its incidents.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_reconciliation', table => {
    table.comment('What the engine applied per Deployment, and its lease');
    table
      .string('deployment_id', 36)
      .primary()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table
      .string('applied_hash', 64)
      .nullable()
      .comment('Hash of the rendered objects last applied completely');
    table.integer('applied_generation').notNullable().defaultTo(0);
    table
      .text('applied_objects')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON: object key -> hash and field-manager signature');
    table.boolean('ever_healthy').notNullable().defaultTo(false);
    table.string('lease_owner').nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.timestamp('last_reconciled_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('health_samples', table => {
    table.comment('Airflow health of each Deployment over time');
    table.bigIncrements('id').primary();
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.timestamp('sampled_at', { useTz: true }).notNullable();
    table.string('status', 20).notNullable();
    table.text('components').notNullable().defaultTo('{}');
    table.string('scheduler_heartbeat', 64).nullable();
    table.index(['deployment_id', 'id'], 'health_samples_deployment_idx');
  });

  await knex.schema.createTable('incidents', table => {
    table.comment('Periods during which a Deployment was unhealthy');
    table.bigIncrements('id').primary();
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('title', 200).notNullable();
    table.string('severity', 20).notNullable();
    table.string('component', 100).nullable();
    table.string('state', 20).notNullable();
    table.text('message').notNullable();
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.index(['deployment_id', 'state'], 'incidents_deployment_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incidents');
  await knex.schema.dropTable('health_samples');
  await knex.schema.dropTable('deployment_reconciliation');
};
