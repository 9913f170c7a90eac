/**
 * Which parts of cdk-encryption-guard work with the aws-cdk-lib that this script resolves.
 * `scripts/measure-cdk-floors.sh` runs it against a series of aws-cdk-lib releases; it prints one
 * line per part: `<part> ok` or `<part> FAIL <first line of the error>`.
 *
 * Parts: every construct at its defaults (the example stacks, a multi-Region key with a replica and
 * envelope encryption), the Aspect, acknowledgements, and the validation plugin.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedBucket, EncryptionChecks, EncryptionGate, EnforceEncryption, EnvelopeEncryption, MultiRegionKey } from '../src';

const env = { account: '111111111111', region: 'eu-west-1' };
const outdirs: string[] = [];

function newApp(props: cdk.AppProps = {}): cdk.App {
  const outdir = mkdtempSync(join(tmpdir(), 'ceg-probe-'));
  outdirs.push(outdir);
  return new cdk.App({
    outdir,
    builtinCloudFormationValidation: false,
    context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    ...props,
  } as cdk.AppProps);
}

/** A stack with one bucket that breaks CEG-S3-1 (no declared encryption). */
function bareBucket(app: cdk.App): s3.CfnBucket {
  return new s3.CfnBucket(new cdk.Stack(app, 'Bare', { env }), 'Bare');
}

function expectThrows(action: () => void, text: string): void {
  try {
    action();
  } catch (e) {
    if (String((e as Error).message).includes(text)) {
      return;
    }
    throw e;
  }
  throw new Error(`expected an error mentioning ${text}`);
}

const parts: Record<string, () => void> = {
  constructs: () => {
    // The examples build their own app when loaded: load them only here, where a failure is this part's.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { CompliantStack } = require('../examples/compliant-app');
    const { WebAppStack } = require('../examples/web-app');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const app = newApp({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } } as cdk.AppProps);
    new CompliantStack(app, 'Compliant', { env });
    new WebAppStack(app, 'Web', { env });
    const primary = new cdk.Stack(app, 'Keys', { env });
    const role = new iam.Role(primary, 'Ingest', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const key = new MultiRegionKey(primary, 'Global', { alias: 'probe' });
    EnvelopeEncryption.grantWriter(key, role);
    const replicaStack = new cdk.Stack(app, 'Replica', { env: { ...env, region: 'us-east-1' }, crossRegionReferences: true });
    new EncryptedBucket(replicaStack, 'Archive', { encryptionKey: key.addReplica(replicaStack, { alias: 'probe' }) });
    app.synth();
  },
  // The encryption context must reach the key policy statement (iam.Grant with conditions).
  envelopeContext: () => {
    const app = newApp();
    const stack = new cdk.Stack(app, 'Envelope', { env });
    const key = new MultiRegionKey(stack, 'Key', { alias: 'probe' });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    EnvelopeEncryption.grantWriter(key, writer, { encryptionContext: { tenant: 'acme' } });
    const template = app.synth().getStackByName('Envelope').template;
    const keyPolicy = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::KMS::Key').Properties.KeyPolicy;
    if (!keyPolicy.Statement.some((s: any) => s.Action === 'kms:GenerateDataKey' && s.Condition?.StringEquals?.['kms:EncryptionContext:tenant'] === 'acme')) {
      throw new Error('the key policy grants kms:GenerateDataKey without the encryption context condition');
    }
  },
  aspect: () => {
    const app = newApp();
    bareBucket(app);
    cdk.Aspects.of(app).add(new EnforceEncryption());
    expectThrows(() => app.synth(), 'CEG-S3-1');
  },
  acknowledgements: () => {
    const app = newApp();
    const bucket = bareBucket(app);
    cdk.Validations.of(bucket).acknowledge({ id: 'CEG-S3-1', reason: 'probe' });
    const findings = EncryptionGate.evaluate(app).filter(f => f.ruleId === 'CEG-S3-1');
    if (findings.length !== 1 || !findings[0].acknowledged) {
      throw new Error(`acknowledgement not seen: ${JSON.stringify(findings)}`);
    }
  },
  plugin: () => {
    const app = newApp();
    bareBucket(app);
    cdk.Validations.of(app).addPlugins(new EncryptionChecks());
    expectThrows(() => app.synth(), 'CEG-S3-1');
  },
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version = require('aws-cdk-lib/package.json').version;
for (const [name, run] of Object.entries(parts)) {
  try {
    run();
    console.log(`${version} ${name} ok`);
  } catch (e) {
    console.log(`${version} ${name} FAIL ${String((e as Error).message ?? e).split('\n')[0].slice(0, 200)}`);
  }
}
for (const dir of outdirs) {
  rmSync(dir, { recursive: true, force: true });
}
