/**
 * Which condition keys a request to one service can carry at all. A key that the request never
 * carries is absent, not free: a negated operator or `...IfExists` on it holds and a positive
 * operator fails, for every such request. Reading it as free (absent or of every value) would
 * make a Deny seem to spare requests it refuses, and an Allow seem to admit requests it cannot.
 */
import { ABSENT, FixedContext } from './iam-conditions';

/**
 * Services whose condition keys describe requests to that service alone: a request to another
 * service never carries them. Every other prefix stays free, because some services put their own
 * keys on every request made with credentials they issue (`ec2:SourceInstanceArn`,
 * `lambda:SourceFunctionArn`, `codebuild:projectArn`, `glue:RoleAssumedBy`...), and a list of those
 * would miss the next one: reading such a key as absent could pass a Deny that spares its callers.
 */
const OWN_REQUESTS_ONLY = new Set(['s3', 'kms', 'elasticfilesystem', 'secretsmanager', 'dynamodb', 'sqs', 'sns', 'sts', 'iam']);

/**
 * Whether a request to `service` (its action prefix: `s3`, `kms`, `elasticfilesystem`) never
 * carries the (lower case) key: one of another service's own requests (`kms:CallerAccount` on an
 * S3 request, `s3:prefix` on a KMS one). Keys of other prefixes, and without one, are left free.
 */
export function neverOn(service: string, key: string): boolean {
  const colon = key.indexOf(':');
  if (colon <= 0) {
    return false;
  }
  const prefix = key.slice(0, colon).toLowerCase();
  return prefix !== service.toLowerCase() && OWN_REQUESTS_ONLY.has(prefix);
}

/** Keys that only a request over TLS carries: a request without TLS has no TLS version. */
const TLS_ONLY = new Set(['s3:tlsversion']);

/** Whether the question fixes `aws:SecureTransport` to false, and nothing else. */
function withoutTls(fixed: FixedContext): boolean {
  const value = fixed.get('aws:securetransport');
  return Array.isArray(value) && value.length > 0 && value.every(v => String(v).toLowerCase() === 'false');
}

/**
 * The fixed keys of a question about requests to `service`, with every key such a request never
 * carries added as absent (and a TLS version absent when the question is about requests without
 * TLS). Keys the question fixes win; the others stay free.
 */
export function requestsTo(service: string, fixed: FixedContext): FixedContext {
  const noTls = withoutTls(fixed);
  return {
    get: (key: string) => {
      const given = fixed.get(key);
      if (given !== undefined) {
        return given;
      }
      return neverOn(service, key) || (noTls && TLS_ONLY.has(key)) ? ABSENT : undefined;
    },
  };
}
