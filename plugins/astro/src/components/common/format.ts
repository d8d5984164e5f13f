/**
 * Who did something, as a person reads it: `user:default/alice` is
 * `alice`, `system:astro` is `the platform (astro)`.
 */
export function actorName(actor: string): string {
  if (actor.startsWith('system:')) {
    return `the platform (${actor.slice('system:'.length)})`;
  }
  const name = actor.replace(/^[a-z]+:/, '');
  return name.slice(name.lastIndexOf('/') + 1);
}
