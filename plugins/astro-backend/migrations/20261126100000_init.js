// @ts-check

/**
 * The control plane's resources: organizations, workspaces, clusters and
 * deployments, with their environment variables, generated credentials, the
 * event log (audit entries and status changes) and idempotency records.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  /** @param {import('knex').Knex.CreateTableBuilder} table */
  const audit = table => {
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('created_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by').notNullable();
    table.integer('version').notNullable().defaultTo(1);
  };

  await knex.schema.createTable('organizations', table => {
    table.comment('Organizations, the top of the resource hierarchy');
    table.string('id', 36).primary();
    table.string('name', 40).notNullable().unique();
    table.string('title', 200).notNullable();
    table.text('description').notNullable().defaultTo('');
    audit(table);
  });

  await knex.schema.createTable('clusters', table => {
    table.comment('Kubernetes clusters Deployments run on');
    table.string('id', 36).primary();
    table.string('name', 40).notNullable().unique();
    table.string('title', 200).notNullable();
    table.text('description').notNullable().defaultTo('');
    table.string('type', 20).notNullable();
    table.string('provider', 100).notNullable();
    table.string('region', 100).notNullable();
    table.string('driver', 100).notNullable();
    table
      .string('organization', 40)
      .nullable()
      .comment('Name of the organization a dedicated cluster belongs to');
    table
      .string('source', 20)
      .notNullable()
      .comment(
        'api: registered through the API; declared: by config or a module',
      );
    table
      .text('connection_ciphertext')
      .nullable()
      .comment(
        'Encrypted connection (server, token, CA) of API-registered clusters',
      );
    audit(table);
  });

  await knex.schema.createTable('workspaces', table => {
    table.comment('Workspaces group Deployments of an organization');
    table.string('id', 36).primary();
    table
      .string('organization_id', 36)
      .notNullable()
      .references('id')
      .inTable('organizations')
      .onDelete('RESTRICT');
    table.string('name', 40).notNullable();
    table.string('title', 200).notNullable();
    table.text('description').notNullable().defaultTo('');
    table.string('owner').nullable().comment('Entity ref of the owning group');
    audit(table);
    table.unique(['organization_id', 'name']);
  });

  await knex.schema.createTable('workspace_cluster_grants', table => {
    table.comment('Dedicated clusters a workspace may deploy to');
    table
      .string('workspace_id', 36)
      .notNullable()
      .references('id')
      .inTable('workspaces')
      .onDelete('CASCADE');
    table
      .string('cluster_id', 36)
      .notNullable()
      .references('id')
      .inTable('clusters')
      .onDelete('CASCADE');
    table.primary(['workspace_id', 'cluster_id']);
  });

  await knex.schema.createTable('deployments', table => {
    table.comment('Airflow Deployments: desired settings and observed status');
    table.string('id', 36).primary();
    table
      .string('organization_id', 36)
      .notNullable()
      .references('id')
      .inTable('organizations')
      .onDelete('RESTRICT');
    table
      .string('workspace_id', 36)
      .notNullable()
      .references('id')
      .inTable('workspaces')
      .onDelete('RESTRICT');
    table
      .string('cluster_id', 36)
      .notNullable()
      .references('id')
      .inTable('clusters')
      .onDelete('RESTRICT');
    table.string('name', 40).notNullable();
    table.string('namespace', 63).notNullable().unique();
    table.string('title', 200).notNullable();
    table.text('description').notNullable().defaultTo('');
    table.string('owner').nullable();
    table
      .text('settings')
      .notNullable()
      .comment('JSON settings without environment variables');
    table.integer('generation').notNullable().defaultTo(1);
    table.integer('observed_generation').notNullable().defaultTo(0);
    table.string('status', 20).notNullable();
    table.text('status_reason').nullable();
    table.text('conditions').notNullable().defaultTo('[]');
    table.string('airflow_url').nullable();
    table.timestamp('status_changed_at', { useTz: true }).notNullable();
    table.timestamp('deletion_requested_at', { useTz: true }).nullable();
    audit(table);
    table.unique(['organization_id', 'name']);
    table.index(['workspace_id'], 'deployments_workspace_idx');
    table.index(['cluster_id'], 'deployments_cluster_idx');
  });

  await knex.schema.createTable('deployment_variables', table => {
    table.comment('Environment variables; secret values only encrypted');
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('key', 255).notNullable();
    table.integer('position').notNullable();
    table.boolean('secret').notNullable();
    table.text('value').nullable().comment('Plain value; null when secret');
    table.text('value_ciphertext').nullable().comment('Encrypted secret value');
    table.primary(['deployment_id', 'key']);
  });

  await knex.schema.createTable('deployment_credentials', table => {
    table.comment(
      'Credentials generated once per Deployment (fernet key, JWT secret, …), encrypted',
    );
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('name', 64).notNullable();
    table.text('value_ciphertext').notNullable();
    table.primary(['deployment_id', 'name']);
  });

  await knex.schema.createTable('events', table => {
    table.comment('Audit entries and status changes, for the UI');
    table.bigIncrements('id').primary();
    table.string('organization', 40).notNullable();
    table.string('resource_type', 20).notNullable();
    table.string('resource_name', 200).notNullable();
    table.string('deployment_id', 36).nullable();
    table.string('action', 40).notNullable();
    table.string('actor').notNullable();
    table.text('message').notNullable();
    table.text('before').nullable();
    table.text('after').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['deployment_id', 'id'], 'events_deployment_idx');
    table.index(['organization', 'id'], 'events_organization_idx');
  });

  await knex.schema.createTable('idempotency_records', table => {
    table.comment('Responses of create requests by Idempotency-Key');
    table.string('principal').notNullable();
    table.string('scope', 300).notNullable();
    table.string('key', 200).notNullable();
    table.string('request_hash', 64).notNullable();
    table.integer('response_status').notNullable();
    table.text('response_body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['principal', 'scope', 'key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('idempotency_records');
  await knex.schema.dropTable('events');
  await knex.schema.dropTable('deployment_credentials');
  await knex.schema.dropTable('deployment_variables');
  await knex.schema.dropTable('deployments');
  await knex.schema.dropTable('workspace_cluster_grants');
  await knex.schema.dropTable('workspaces');
  await knex.schema.dropTable('clusters');
  await knex.schema.dropTable('organizations');
};
