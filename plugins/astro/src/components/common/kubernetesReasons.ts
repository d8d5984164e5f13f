/*
 * Kubernetes' own words for a failing workload (`CrashLoopBackOff: back-off
 * 10s restarting failed container=scheduler pod=…(uid)`) turned into a
 * sentence a person reads; the raw text stays available behind it.
 */

interface ReasonRule {
  test: RegExp;
  describe: (match: RegExpExecArray, raw: string) => string;
}

/** `container=<name>` in kubelet messages. */
function containerOf(raw: string): string | undefined {
  return /container=([\w.-]+)/.exec(raw)?.[1];
}

function theContainer(raw: string): string {
  const name = containerOf(raw);
  return name ? `Container ${name}` : 'A container';
}

const RULES: ReasonRule[] = [
  {
    test: /CrashLoopBackOff/,
    describe: (_m, raw) =>
      `${theContainer(
        raw,
      )} keeps crashing; Kubernetes restarts it with growing delays. Its logs tell why.`,
  },
  {
    test: /ImagePullBackOff|ErrImagePull/,
    describe: () =>
      'The image could not be pulled: check the image name and tag, and the registry credentials.',
  },
  {
    test: /InvalidImageName/,
    describe: () => 'The image name is not valid.',
  },
  {
    test: /CreateContainerConfigError/,
    describe: (_m, raw) =>
      `${theContainer(
        raw,
      )} cannot start: a Secret or ConfigMap it needs is missing or wrong.`,
  },
  {
    test: /CreateContainerError/,
    describe: (_m, raw) => `${theContainer(raw)} could not be created.`,
  },
  {
    test: /OOMKilled/,
    describe: (_m, raw) =>
      `${theContainer(
        raw,
      )} ran out of memory and was killed; give it more memory.`,
  },
  {
    test: /exceeded quota(?:[^;]*?requested: (.+?), used)?/,
    describe: match =>
      `The namespace's resource quota does not allow more pods${
        match[1] ? ` (requested ${match[1].trim()})` : ''
      }: raise the quota or lower the resources.`,
  },
  {
    test: /(\d+)\/(\d+) nodes are available:?\s*([^.]*)/,
    describe: match =>
      `No node has room for the pod${
        match[3] ? ` (${match[3].trim().replace(/\s+/g, ' ')})` : ''
      }.`,
  },
];

/**
 * A sentence for a Kubernetes reason, or `undefined` when the text is not
 * one this knows (then the text is shown as it is).
 */
export function describeKubernetesReason(raw: string): string | undefined {
  for (const rule of RULES) {
    const match = rule.test.exec(raw);
    if (match) {
      return rule.describe(match, raw);
    }
  }
  return undefined;
}

/** `component: reason` as the backend writes a failing component's reason. */
export function splitComponentReason(raw: string): {
  component?: string;
  reason: string;
} {
  const match = /^([a-z][a-z0-9-]*): (.+)$/s.exec(raw);
  return match ? { component: match[1], reason: match[2] } : { reason: raw };
}
