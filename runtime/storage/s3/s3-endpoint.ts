/**
 * How an S3 client addresses buckets for a given endpoint. AWS prefers virtual-hosted style
 * (`bucket.s3.region.amazonaws.com`) and is retiring path style; MinIO, the Versity gateway and
 * most self-hosted servers only answer path style (`host/bucket/key`) unless DNS is set up for
 * them; DigitalOcean Spaces answers both.
 */

/** True for AWS S3 endpoints (`*.amazonaws.com`, and `*.amazonaws.com.cn` in China regions). */
export function isAwsEndpoint(endpoint: URL): boolean {
  const host = endpoint.hostname.toLowerCase();
  return host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn');
}

/**
 * Path style unless told otherwise, except on AWS: `forcePathStyle` when the connection sets
 * it, else virtual-hosted style for `*.amazonaws.com` and path style for every other host.
 */
export function usePathStyle(endpoint: URL, forcePathStyle: boolean | undefined): boolean {
  return forcePathStyle ?? !isAwsEndpoint(endpoint);
}
