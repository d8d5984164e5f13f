/**
 * Where the Astro backend keeps the DAG bundles of DAG deploys.
 *
 * A bundle is a gzip-compressed tar archive of a DAGs folder, identified by
 * its version: the SHA-256 of its bytes as `sha256:<64 hex digits>`. The
 * backend checks every bundle (checksum, size, entries) before it stores
 * it, and decides which versions are still needed: a store only keeps
 * bytes by version.
 *
 * The built-in store keeps bundles in the backend's own database; a module
 * can replace it with a blob store (S3, GCS, a file system) through
 * {@link astroDagBundleStoreExtensionPoint}.
 */

/**
 * Bytes of DAG bundles, by version.
 *
 * Implementations are content-addressed: `put` of a version that is already
 * stored succeeds and may skip the write, since equal versions have equal
 * bytes. None of the methods may log the bytes.
 *
 * @public
 */
export interface DagBundleStore {
  /** Stores a bundle under its version (`sha256:<hex>` of `bytes`). */
  put(version: string, bytes: Buffer): Promise<void>;
  /** The bytes of a version; `undefined` when it is not stored. */
  get(version: string): Promise<Buffer | undefined>;
  /** Forgets a version; deleting a version that is not stored succeeds. */
  delete(version: string): Promise<void>;
}
