// @ts-check

/**
 * Role bindings: a user or group of the catalog holds one role on an
 * organization, a workspace or a Deployment. `scope_id` is the id of the
 * bound resource, so one principal holds at most one role per resource.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('role_bindings', table => {
    table.string('id', 36).primary();
    table
      .string('scope', 20)
      .notNullable()
      .comment('organization, workspace or deployment');
    table
      .string('scope_id', 36)
      .notNullable()
      .comment('Id of the bound organization, workspace or Deployment');
    table
      .string('organization_id', 36)
      .notNullable()
      .references('id')
      .inTable('organizations')
      .onDelete('CASCADE');
    table
      .string('workspace_id', 36)
      .nullable()
      .references('id')
      .inTable('workspaces')
      .onDelete('CASCADE');
    table
      .string('deployment_id', 36)
      .nullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table
      .string('principal', 255)
      .notNullable()
      .comment('Entity ref of a User or Group, lower-case');
    table.string('role', 40).notNullable();
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['scope', 'scope_id', 'principal'], {
      indexName: 'role_bindings_scope_principal_key',
    });
    table.index(['principal', 'scope', 'role'], 'role_bindings_principal_idx');
    table.index(['organization_id'], 'role_bindings_organization_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('role_bindings');
};
