/**
 * Keys for a two-Region app: a multi-Region primary key in eu-west-1 with an explicit key policy,
 * replicas in us-east-1 and ap-southeast-2, a bucket in us-east-1 encrypted with the local replica,
 * and envelope-encryption grants bound to an encryption context. Passes the gate.
 *
 * `cdk synth --app "npx ts-node --transpile-only examples/multi-region-keys-app.ts"`
 */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedBucket, EnforceEncryption, EnvelopeEncryption, MultiRegionKey } from '../src';

const account = '111111111111';

/** The key stacks of this example, added to `app` (one primary Region, two replica Regions). */
export function addKeyStacks(app: App): void {
  const primary = new Stack(app, 'KeysPrimary', { env: { account, region: 'eu-west-1' } });
  const ingest = new iam.Role(primary, 'Ingest', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const key = new MultiRegionKey(primary, 'GlobalData', {
    alias: 'global-data',
    description: 'Data replicated across Regions',
    // People who read data must use MFA; the ingest service gets a narrower envelope grant below.
    requireMfaForDecrypt: true,
    viaServices: ['s3'],
  });
  EnvelopeEncryption.grantWriter(key, ingest, { encryptionContext: { pipeline: 'ingest' } });

  for (const region of ['us-east-1', 'ap-southeast-2']) {
    // The replica reads the primary key's ARN from eu-west-1: the stack needs cross-Region references.
    const stack = new Stack(app, `Keys-${region}`, { env: { account, region }, crossRegionReferences: true });
    const replica = key.addReplica(stack, { alias: 'global-data' });
    if (region === 'us-east-1') {
      // Server access logs go to an SSE-S3 AccessLogBucket by default, which `requireKmsForS3` below
      // refuses: this archive is about keys, so it leaves them off (an EncryptedBucket under a customer
      // managed key can be the log target instead: `serverAccessLogsBucket`).
      new EncryptedBucket(stack, 'Archive', { encryptionKey: replica, serverAccessLogs: false });
    }
  }
}

// Synthesizes when run as the app (`cdk synth --app ...`); tests import `addKeyStacks` without it.
if (require.main === module) {
  const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
  addKeyStacks(app);
  Aspects.of(app).add(new EnforceEncryption({ requireKmsForS3: true }));
  app.synth();
}
