// @ts-check

/**
 * Code deploys: the deploys of each Deployment, the code each Deployment
 * runs now, DAG bundles (the built-in store keeps their bytes here), what
 * each pod reports it serves, registry credentials of image deploys, and
 * API tokens (only a SHA-256 of their secret part).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deploys', table => {
    table.comment('Deploys of code (image, DAG bundle or both) to Deployments');
    table.string('id', 36).primary();
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('type', 20).notNullable().comment('IMAGE, DAG, IMAGE_AND_DAG');
    table
      .string('status', 20)
      .notNullable()
      .comment('INITIALIZED, DEPLOYED, FAILED');
    table.text('status_reason').nullable();
    table
      .text('image')
      .notNullable()
      .comment('Image the components run with this deploy');
    table.string('airflow_version', 50).notNullable();
    table
      .string('bundle_version', 71)
      .nullable()
      .comment('sha256:<hex> of the bundle this deploy carries');
    table.bigInteger('bundle_size').nullable();
    table.integer('bundle_files').nullable();
    table
      .string('state_bundle_version', 71)
      .nullable()
      .comment(
        'The bundle current after this deploy (its own or the one before): what a rollback to it restores',
      );
    table
      .integer('generation')
      .nullable()
      .comment('Deployment generation an image deploy produced');
    table.text('description').notNullable().defaultTo('');
    table.string('origin', 10).notNullable();
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('deployed_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('rollback_of', 36).nullable();
    table.index(['deployment_id', 'created_at'], 'deploys_deployment_idx');
    table.index(['status'], 'deploys_status_idx');
    table.index(['state_bundle_version'], 'deploys_bundle_idx');
  });

  await knex.schema.createTable('deployment_code', table => {
    table.comment('The code each Deployment runs: its current deploys');
    table
      .string('deployment_id', 36)
      .primary()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table
      .text('image')
      .nullable()
      .comment("Image of the last image deploy; null: the runtime release's");
    table
      .string('image_airflow_version', 50)
      .nullable()
      .comment(
        'Airflow version the image is built for; the image is used while the settings name it',
      );
    table.string('image_deploy_id', 36).nullable();
    table.string('bundle_version', 71).nullable();
    table.bigInteger('bundle_size').nullable();
    table.string('bundle_deploy_id', 36).nullable();
  });

  await knex.schema.createTable('dag_bundles', table => {
    table.comment(
      'Every DAG bundle the backend accepted, wherever its bytes are stored; pruned by retention',
    );
    table.string('version', 71).primary().comment('sha256:<hex> of its bytes');
    table.bigInteger('size').notNullable();
    table.integer('files').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('dag_bundle_contents', table => {
    table.comment('Bytes of DAG bundles (the built-in bundle store)');
    table.string('version', 71).primary();
    table.binary('content').notNullable();
  });

  await knex.schema.createTable('deployment_bundle_reports', table => {
    table.comment('The DAG bundle each pod of a Deployment reports it serves');
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('pod', 253).notNullable();
    table.string('version', 71).notNullable();
    table.text('error').nullable();
    table.timestamp('reported_at', { useTz: true }).notNullable();
    table.primary(['deployment_id', 'pod']);
  });

  await knex.schema.createTable('deployment_registry_credentials', table => {
    table.comment('Registry credentials of image deploys; passwords encrypted');
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('registry', 255).notNullable();
    table.string('username', 255).notNullable();
    table.text('password_ciphertext').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['deployment_id', 'registry']);
  });

  await knex.schema.createTable('api_tokens', table => {
    table.comment(
      'API tokens of Deployments and workspaces; only a SHA-256 of the secret',
    );
    table.string('id', 36).primary();
    table.string('scope', 20).notNullable().comment('DEPLOYMENT or WORKSPACE');
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
      .onDelete('CASCADE');
    table.string('name', 100).notNullable();
    table.text('description').notNullable().defaultTo('');
    table.string('role', 30).notNullable();
    table
      .string('secret_hash', 64)
      .notNullable()
      .comment('Hex SHA-256 of the secret part of the value');
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.timestamp('rotated_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.index(['deployment_id'], 'api_tokens_deployment_idx');
    table.index(['workspace_id'], 'api_tokens_workspace_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('api_tokens');
  await knex.schema.dropTable('deployment_registry_credentials');
  await knex.schema.dropTable('deployment_bundle_reports');
  await knex.schema.dropTable('dag_bundle_contents');
  await knex.schema.dropTable('dag_bundles');
  await knex.schema.dropTable('deployment_code');
  await knex.schema.dropTable('deploys');
};
