// @ts-check

/**
 * Airflow upgrades: the engine remembers which Airflow release (and image)
 * each Deployment's metadata database is migrated to, and a migration Job
 * that failed during an upgrade (reason, log tail, whether a retry was
 * asked for), as one JSON document per Deployment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployment_reconciliation', table => {
    table
      .text('database_migration')
      .nullable()
      .comment(
        'JSON: the release the metadata database is migrated to and a held migration failure',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployment_reconciliation', table => {
    table.dropColumn('database_migration');
  });
};
