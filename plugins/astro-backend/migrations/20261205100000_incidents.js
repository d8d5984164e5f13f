// @ts-check

/**
 * Keyed incidents and the monitoring pass's watermark.
 *
 * Each incident carries what it is about (`kind`, e.g. heartbeat-missing,
 * and a `subject`: a component, a queue or a DAG id), a link, and who
 * acknowledged it. While an incident is open its `open_key`
 * (`<kind>/<subject>`) is set, and a unique index on
 * (deployment_id, open_key) lets at most one incident per Deployment, kind
 * and subject be open: two backend replicas cannot open the same one twice.
 * Resolving clears `open_key` (NULLs do not collide on SQLite nor
 * PostgreSQL). Open incidents of the former generic kind are resolved:
 * the monitoring pass reopens keyed ones for what is still wrong.
 *
 * `monitor_watermarks` holds, per Deployment, how far the monitoring pass
 * has read finished DAG runs and the failures inside the threshold window;
 * it is advanced with a compare-and-set on `revision`, so each finished run
 * is announced once across passes and replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex('incidents')
    .where({ state: 'open' })
    .update({ state: 'resolved', resolved_at: new Date() });
  await knex.schema.alterTable('incidents', table => {
    table
      .string('kind', 40)
      .notNullable()
      .defaultTo('unhealthy')
      .comment(
        'What is wrong: heartbeat-missing, crash-loop, queue-at-capacity, …',
      );
    table
      .string('subject', 250)
      .notNullable()
      .defaultTo('')
      .comment(
        'The component, worker queue or DAG id it concerns; empty for the whole Deployment',
      );
    table
      .text('link')
      .nullable()
      .comment('Where to look: a page of the Airflow UI or of the portal');
    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.string('acknowledged_by', 255).nullable();
    table
      .string('open_key', 300)
      .nullable()
      .comment('<kind>/<subject> while open, NULL once resolved');
    table.unique(['deployment_id', 'open_key'], {
      indexName: 'incidents_one_open_idx',
    });
  });

  await knex.schema.createTable('monitor_watermarks', table => {
    table.comment(
      'How far the monitoring pass has read the finished DAG runs of each Deployment',
    );
    table
      .string('deployment_id', 36)
      .primary()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table
      .integer('revision')
      .notNullable()
      .comment('Bumped by every advance (compare-and-set)');
    table
      .text('state')
      .notNullable()
      .comment(
        'JSON: finishedThrough, runs at that instant, failures in the window, last state per DAG',
      );
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('monitor_watermarks');
  await knex.schema.alterTable('incidents', table => {
    table.dropUnique(['deployment_id', 'open_key'], 'incidents_one_open_idx');
  });
  await knex.schema.alterTable('incidents', table => {
    table.dropColumn('open_key');
    table.dropColumn('acknowledged_by');
    table.dropColumn('acknowledged_at');
    table.dropColumn('link');
    table.dropColumn('subject');
    table.dropColumn('kind');
  });
};
