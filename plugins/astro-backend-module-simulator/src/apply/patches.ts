/**
 * The three patch formats of `PATCH` besides server-side apply.
 */
import { statusErrors } from '../api/status';
import { clone, isRecord, JsonObject } from '../store/objects';
import { applyJsonPatch } from './jsonPatch';
import { PatchSchema } from './patchSchema';
import { strategicMergePatch } from './strategicMerge';

/**
 * `merge`: JSON merge patch (RFC 7386, `application/merge-patch+json`);
 * `strategic`: strategic merge patch
 * (`application/strategic-merge-patch+json`); `json`: JSON patch (RFC 6902,
 * `application/json-patch+json`).
 */
export type PatchType = 'merge' | 'strategic' | 'json';

/** RFC 7386 JSON merge patch, in place. */
function mergePatchInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isRecord(value)) {
      const existing = target[key];
      target[key] = mergePatchInto(isRecord(existing) ? existing : {}, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/**
 * Applies a patch of the given format to a copy of `document`;
 * `schema` gives the merge keys of a strategic merge patch.
 */
export function applyPatch(
  document: JsonObject,
  patch: unknown,
  patchType: PatchType,
  schema: PatchSchema,
): unknown {
  if (patchType === 'json') {
    return applyJsonPatch(document, patch);
  }
  if (!isRecord(patch)) {
    throw statusErrors.badRequest('the patch must be a JSON object');
  }
  if (patchType === 'strategic') {
    return strategicMergePatch(document, patch, schema);
  }
  return mergePatchInto(clone(document), patch);
}
