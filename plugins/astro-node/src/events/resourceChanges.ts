/**
 * The change events of the Astro backend: after every committed change it
 * publishes an event on Backstage's events service, topic
 * {@link ASTRO_RESOURCES_TOPIC}, whose payload is an
 * {@link AstroResourceChangesPayload}. The catalog module's entity provider
 * turns them into delta mutations.
 */

/**
 * The events service topic of Astro resource changes.
 *
 * @public
 */
export const ASTRO_RESOURCES_TOPIC = 'astro.resources';

const KINDS = ['organization', 'workspace', 'cluster', 'deployment'] as const;
const ACTIONS = ['created', 'updated', 'deleted', 'status'] as const;

/**
 * The kinds of resource a change may be about.
 *
 * @public
 */
export type AstroResourceKind = (typeof KINDS)[number];

/**
 * What happened to the resource: `status` is a change of a Deployment's
 * observed status only, the others are changes of the resource itself.
 *
 * @public
 */
export type AstroResourceChangeAction = (typeof ACTIONS)[number];

/**
 * A change to one Astro resource, published once its transaction committed.
 * It names the resource; a consumer reads the resource's current state from
 * the Astro API.
 *
 * @public
 */
export interface AstroResourceChange {
  kind: AstroResourceKind;
  /** The organization of a workspace or Deployment; required for those. */
  organization?: string;
  /** The resource's name (unique within its organization, or globally for organizations and clusters). */
  name: string;
  action: AstroResourceChangeAction;
  /** The immutable id of a Deployment. */
  id?: string;
}

/**
 * The payload of an event of the {@link ASTRO_RESOURCES_TOPIC} topic: the
 * changes of one committed transaction.
 *
 * @public
 */
export interface AstroResourceChangesPayload {
  changes: AstroResourceChange[];
}

function isOneOf<T extends string>(
  values: readonly T[],
  value: unknown,
): value is T {
  return (
    typeof value === 'string' && (values as readonly string[]).includes(value)
  );
}

/**
 * Whether a value is a well-formed {@link AstroResourceChange}: a known kind
 * and action, a non-empty name, and an organization for workspaces and
 * Deployments.
 *
 * @public
 */
export function isAstroResourceChange(
  value: unknown,
): value is AstroResourceChange {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { kind, organization, name, action, id } = value as Record<
    string,
    unknown
  >;
  if (!isOneOf(KINDS, kind) || !isOneOf(ACTIONS, action)) {
    return false;
  }
  if (typeof name !== 'string' || name.length === 0) {
    return false;
  }
  if (organization !== undefined && typeof organization !== 'string') {
    return false;
  }
  if ((kind === 'workspace' || kind === 'deployment') && !organization) {
    return false;
  }
  return id === undefined || typeof id === 'string';
}

/**
 * The event of the {@link ASTRO_RESOURCES_TOPIC} topic that announces some
 * changes, ready for `EventsService.publish`.
 *
 * @public
 */
export function createAstroResourceChangesEvent(
  changes: AstroResourceChange[],
): {
  topic: typeof ASTRO_RESOURCES_TOPIC;
  eventPayload: AstroResourceChangesPayload;
} {
  return { topic: ASTRO_RESOURCES_TOPIC, eventPayload: { changes } };
}

/**
 * The well-formed changes of an event payload of the
 * {@link ASTRO_RESOURCES_TOPIC} topic, with only the fields of
 * {@link AstroResourceChange}. Malformed changes, and anything that is not
 * an {@link AstroResourceChangesPayload}, are left out: events may come
 * from another process running another version.
 *
 * @public
 */
export function parseAstroResourceChanges(
  payload: unknown,
): AstroResourceChange[] {
  if (typeof payload !== 'object' || payload === null) {
    return [];
  }
  const changes = (payload as { changes?: unknown }).changes;
  if (!Array.isArray(changes)) {
    return [];
  }
  return changes.filter(isAstroResourceChange).map(change => ({
    kind: change.kind,
    name: change.name,
    action: change.action,
    ...(change.organization !== undefined
      ? { organization: change.organization }
      : {}),
    ...(change.id !== undefined ? { id: change.id } : {}),
  }));
}
