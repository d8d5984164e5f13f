// @ts-check

/**
 * Deployment history: one point per Deployment and time bucket (the bucket
 * size comes from `astro.monitor.history.bucketMinutes`), written by the
 * monitoring pass from what it observed anyway.
 *
 * The primary key (deployment_id, bucket_start) makes a bucket one row
 * however many passes or replicas write it: observations are merged into
 * it (latest status and worker replicas, the oldest heartbeat age seen)
 * and finished DAG runs are added to its counts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_history', table => {
    table.comment(
      'Per-Deployment time series: status, heartbeat ages, finished DAG runs, worker replicas',
    );
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table
      .timestamp('bucket_start', { useTz: true })
      .notNullable()
      .comment('Start of the bucket (a multiple of the bucket size)');
    table
      .integer('observations')
      .notNullable()
      .defaultTo(0)
      .comment('Monitoring passes that observed the Deployment in the bucket');
    table
      .integer('healthy_observations')
      .notNullable()
      .defaultTo(0)
      .comment('Of those, the ones that found it HEALTHY');
    table
      .string('status', 20)
      .nullable()
      .comment('Status at the last observation; NULL: runs only, no pass');
    table
      .integer('scheduler_heartbeat_age_s')
      .nullable()
      .comment('Oldest scheduler heartbeat age seen in the bucket, seconds');
    table
      .integer('triggerer_heartbeat_age_s')
      .nullable()
      .comment('Oldest triggerer heartbeat age seen in the bucket, seconds');
    table
      .integer('dag_processor_heartbeat_age_s')
      .nullable()
      .comment(
        'Oldest DAG processor heartbeat age seen in the bucket, seconds',
      );
    table
      .integer('dag_runs_success')
      .notNullable()
      .defaultTo(0)
      .comment('DAG runs that ended successfully in the bucket');
    table
      .integer('dag_runs_failed')
      .notNullable()
      .defaultTo(0)
      .comment('DAG runs that ended failed in the bucket');
    table
      .integer('workers_desired')
      .nullable()
      .comment(
        'Workers the autoscaler wants, summed over queues (last observation)',
      );
    table
      .integer('workers_ready')
      .nullable()
      .comment('Workers ready, summed over queues (last observation)');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['deployment_id', 'bucket_start'], 'deployment_history_pkey');
    table.index(['bucket_start'], 'deployment_history_bucket_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_history');
};
