/**
 * `authorization.k8s.io/v1` self reviews (`kubectl auth can-i`): the
 * simulator has no RBAC, so its one token may do everything.
 */
import { isRecord } from '../store/objects';
import { statusErrors } from './status';

/** The review resources the simulator answers. */
export const ACCESS_REVIEW_RESOURCES = [
  { plural: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
  { plural: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview' },
] as const;

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

const REASON = 'the simulator has no RBAC: its token may do everything';

/** Answers a created review with its status; the spec is kept as sent. */
export function answerAccessReview(
  plural: string,
  body: unknown,
): Record<string, unknown> {
  const review = ACCESS_REVIEW_RESOURCES.find(r => r.plural === plural);
  if (!review) {
    throw statusErrors.unknownPath();
  }
  if (!isRecord(body) || !isRecord(body.spec)) {
    throw statusErrors.badRequest(`the ${review.kind} must have a spec`);
  }
  const status =
    review.kind === 'SelfSubjectAccessReview'
      ? { allowed: true, reason: REASON }
      : {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        };
  return {
    kind: review.kind,
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec: body.spec,
    status,
  };
}

/** The `APIResourceList` of `authorization.k8s.io/v1`. */
export function accessReviewResourceList(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${AUTHORIZATION_GROUP}/v1`,
    resources: ACCESS_REVIEW_RESOURCES.map(review => ({
      name: review.plural,
      singularName: review.kind.toLowerCase(),
      namespaced: false,
      kind: review.kind,
      verbs: ['create'],
    })),
  };
}
