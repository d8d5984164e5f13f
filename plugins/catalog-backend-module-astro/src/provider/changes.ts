/**
 * The change events the Astro backend publishes after every committed
 * change, on the events service topic {@link ASTRO_RESOURCES_TOPIC}.
 */

/** The topic of Astro resource changes. */
export const ASTRO_RESOURCES_TOPIC = 'astro.resources';

const KINDS = ['organization', 'workspace', 'cluster', 'deployment'] as const;
const ACTIONS = ['created', 'updated', 'deleted', 'status'] as const;

/** A change to one Astro resource. */
export interface AstroResourceChange {
  kind: (typeof KINDS)[number];
  /** The organization of a workspace or deployment. */
  organization?: string;
  name: string;
  action: (typeof ACTIONS)[number];
}

function isOneOf<T extends string>(
  values: readonly T[],
  value: unknown,
): value is T {
  return (
    typeof value === 'string' && (values as readonly string[]).includes(value)
  );
}

function parseChange(value: unknown): AstroResourceChange | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { kind, organization, name, action } = value as Record<string, unknown>;
  if (!isOneOf(KINDS, kind) || !isOneOf(ACTIONS, action)) {
    return undefined;
  }
  if (typeof name !== 'string' || name.length === 0) {
    return undefined;
  }
  const needsOrganization = kind === 'workspace' || kind === 'deployment';
  if (needsOrganization && typeof organization !== 'string') {
    return undefined;
  }
  return {
    kind,
    name,
    action,
    ...(typeof organization === 'string' ? { organization } : {}),
  };
}

/**
 * The well-formed changes of an event payload
 * (`{ changes: AstroResourceChange[] }`); anything else is left out.
 */
export function parseResourceChanges(payload: unknown): AstroResourceChange[] {
  if (typeof payload !== 'object' || payload === null) {
    return [];
  }
  const changes = (payload as { changes?: unknown }).changes;
  if (!Array.isArray(changes)) {
    return [];
  }
  return changes.flatMap(change => parseChange(change) ?? []);
}

/** Identifies the resource a change is about. */
export function changeKey(change: AstroResourceChange): string {
  return `${change.kind}:${change.organization ?? ''}/${change.name}`;
}
