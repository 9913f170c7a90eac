import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { validationError } from '../../private/errors';

/**
 * Checks that S3 can deliver server access logs of `source` to `target`, and lets it: the target
 * must be in the source's Region and account (when both are known); an SSE-S3 bucket always works;
 * an SSE-KMS bucket works only with a customer managed key whose policy lets the logging service
 * use it (we add that statement); the AWS managed `aws/s3` key never works.
 */
export function checkLogTarget(source: s3.Bucket, target: s3.IBucket): void {
  checkSameEnvironment(source, target);
  const cfn = target.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) {
    Annotations.of(source).addWarningV2('cdk-encryption-guard:UnverifiedLogTarget',
      `The server access logs bucket ${target.node.path} is not defined in this app, so its encryption cannot be checked: `
      + 'it must use SSE-S3, or SSE-KMS with a customer managed key that allows logging.s3.amazonaws.com (never the aws/s3 key).');
    return;
  }
  const kmsRule = kmsDefaultEncryptionOf(target);
  if (kmsRule === undefined) {
    return;
  }
  if (target.encryptionKey === undefined || kmsRule.kmsMasterKeyId === undefined) {
    throw validationError('LogTargetWithAwsManagedKey',
      `serverAccessLogsBucket ${target.node.path} encrypts with the AWS managed aws/s3 key, which S3 log delivery cannot use, so no log would arrive. `
      + 'Use an AccessLogBucket (SSE-S3), or SSE-KMS with a customer managed key.', source);
  }
  const added = target.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowS3ServerAccessLogDelivery',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(source).account } },
  }));
  if (!added.statementAdded) {
    throw validationError('LogTargetKeyNotEditable',
      `serverAccessLogsBucket ${target.node.path} encrypts with a KMS key whose policy this app cannot change, so S3 log delivery may not be allowed to use it. `
      + 'Use an AccessLogBucket (SSE-S3), or a key defined in this app.', source);
  }
}

/** A literal account or Region; `undefined` for a token (an environment-agnostic stack, an import). */
function known(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}

/**
 * PutBucketLogging delivers only to a target in the source bucket's Region, owned by the source
 * bucket's account. Refused when both sides are known (a stack's literal env, or the Region and
 * account an imported bucket states) and differ; an unknown side is not refused.
 */
function checkSameEnvironment(source: s3.Bucket, target: s3.IBucket): void {
  const fix = 'Leave serverAccessLogsBucket unset (the stack\'s shared AccessLogBucket), or pass an AccessLogBucket of a stack in';
  const [fromRegion, toRegion] = [known(source.env.region), known(target.env.region)];
  if (fromRegion !== undefined && toRegion !== undefined && fromRegion !== toRegion) {
    throw validationError('LogTargetInOtherRegion',
      `serverAccessLogsBucket ${target.node.path} is in Region ${toRegion}, but bucket ${source.node.path} is in ${fromRegion}: S3 delivers `
      + `server access logs only to a bucket in the source bucket's Region, so PutBucketLogging would fail. ${fix} ${fromRegion}.`, source);
  }
  const [fromAccount, toAccount] = [known(source.env.account), known(target.env.account)];
  if (fromAccount !== undefined && toAccount !== undefined && fromAccount !== toAccount) {
    throw validationError('LogTargetInOtherAccount',
      `serverAccessLogsBucket ${target.node.path} belongs to account ${toAccount}, but bucket ${source.node.path} to ${fromAccount}: S3 delivers `
      + `server access logs only to a bucket owned by the source bucket's account, so PutBucketLogging would fail. ${fix} account ${fromAccount} `
      + '(and copy the logs to a central account from there).', source);
  }
}

/**
 * The default-encryption rule of a bucket of this app that encrypts with KMS (SSE-KMS or DSSE-KMS,
 * with a key of the app or the AWS managed `aws/s3`), or `undefined` (SSE-S3, or a bucket defined
 * elsewhere).
 */
export function kmsDefaultEncryptionOf(bucket: s3.IBucket): s3.CfnBucket.ServerSideEncryptionByDefaultProperty | undefined {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) {
    return undefined;
  }
  type Rule = s3.CfnBucket.ServerSideEncryptionRuleProperty & { serverSideEncryptionByDefault?: s3.CfnBucket.ServerSideEncryptionByDefaultProperty };
  const encryption = Stack.of(bucket).resolve(cfn.bucketEncryption) as { serverSideEncryptionConfiguration?: Rule[] } | undefined;
  return (encryption?.serverSideEncryptionConfiguration ?? []).map(r => r.serverSideEncryptionByDefault)
    .find(byDefault => byDefault?.sseAlgorithm?.startsWith('aws:kms'));
}
