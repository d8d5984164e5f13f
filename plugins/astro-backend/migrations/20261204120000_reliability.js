// @ts-check

/**
 * Reliability: each cluster declared in app config carries the hash and
 * revision of the declaration that wrote it, and the conflict a backend
 * with a different declaration reported; and an Idempotency-Key is claimed
 * by one request (a row inserted before the work starts) so that
 * concurrent first requests are serialized.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('clusters', table => {
    table
      .string('declaration_hash', 64)
      .nullable()
      .comment(
        'SHA-256 of the app-config declaration the record follows (config-declared clusters only)',
      );
    table
      .integer('declaration_revision')
      .notNullable()
      .defaultTo(0)
      .comment('astro.clusters[].revision of that declaration');
    table
      .text('declaration_conflict')
      .nullable()
      .comment(
        'JSON: a differing declaration a backend reported (hash, revision, message, detectedAt)',
      );
  });

  await knex.schema.createTable('idempotency_claims', table => {
    table.comment(
      'Idempotency-Keys whose first request is running; the response goes to idempotency_records',
    );
    table.string('principal').notNullable();
    table.string('scope', 300).notNullable();
    table.string('key', 200).notNullable();
    table.string('request_hash', 64).notNullable();
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.primary(['principal', 'scope', 'key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('idempotency_claims');
  await knex.schema.alterTable('clusters', table => {
    table.dropColumn('declaration_conflict');
    table.dropColumn('declaration_revision');
    table.dropColumn('declaration_hash');
  });
};
