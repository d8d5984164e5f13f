// @ts-check

/**
 * Hibernation overrides: a manual "hibernate until" / "stay awake until" of
 * one Deployment, which wins over its hibernation schedules until
 * `override_until` (or until removed when it is null).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_hibernation_overrides', table => {
    table
      .string('deployment_id', 36)
      .primary()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table
      .boolean('is_hibernating')
      .notNullable()
      .comment('true: hibernate; false: stay awake');
    table
      .timestamp('override_until', { useTz: true })
      .nullable()
      .comment('When the override expires; null holds until removed');
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_hibernation_overrides');
};
