/**
 * How a `spacesConnections` entry is told apart: Azure Blob when it says `kind: 'azure'` or its
 * endpoint is an Azure blob host, S3-compatible otherwise.
 */

/** True for `https://<account>.blob.core.windows.net` endpoints. */
export function isAzureEndpoint(endpoint: string): boolean {
  try {
    return new URL(endpoint).hostname.toLowerCase().endsWith('.blob.core.windows.net');
  } catch {
    return false;
  }
}
