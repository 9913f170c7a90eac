import { Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { isResourceReference } from '../../engine/reference-resolver';
import { TargetSpec } from '../../engine/references';
import { ResourceView } from '../../engine/resource-view';
import { RuleContext } from '../../engine/rule-context';
import { describeIntrinsic, field, intrinsicName, isObject, JsonObject, known, Reading, unknown } from '../../engine/values';
import { actionMatches, asList, hasPublicPrincipal, Statement, statementsOf } from '../../aws/iam-policy';

const BUCKET: TargetSpec = { types: ['AWS::S3::Bucket'], nameProperty: 'BucketName', noun: 'bucket' };

/**
 * The public Deny statements, of every bucket policy in the stack that applies to `bucket`, that
 * cover all S3 actions on the bucket and its objects: the shape of `enforceSSL` and
 * `minimumTLSVersion`. Found once per bucket and shared by the rules that read them.
 */
export function bucketWideDenies(context: RuleContext, bucket: ResourceView): Reading<{ all: Statement[]; denies: Statement[] }> {
  return context.memo('s3:bucket-wide-denies', bucket, () => {
    const statements = bucketPolicyStatements(context, bucket);
    if (!statements.known) {
      return statements;
    }
    return known({ all: statements.value, denies: statements.value.filter(s => isBucketWideDeny(context, s, bucket)) });
  });
}

/** The statements of every bucket policy in the stack that applies to `bucket`. */
function bucketPolicyStatements(context: RuleContext, bucket: ResourceView): Reading<Statement[]> {
  return context.memo('s3:policy-statements', bucket, () => {
    const statements: Statement[] = [];
    const policies = context.referrers(bucket, 'AWS::S3::BucketPolicy', ['Bucket'], BUCKET);
    const unknownPolicy = policies.length === 0 ? context.unknownReferrer(bucket.stack, 'AWS::S3::BucketPolicy', ['Bucket'], BUCKET) : undefined;
    if (unknownPolicy !== undefined) {
      return unknown(`no bucket policy is known to apply to the bucket, and ${unknownPolicy}`);
    }
    for (const policy of policies) {
      const document = documentOf(policy);
      const fn = intrinsicName(document);
      if (fn !== undefined) {
        return unknown(`the policy document of ${policy.displayName} cannot be known at synth time: ${describeIntrinsic(document as JsonObject, fn)}`);
      }
      statements.push(...statementsOf(document) ?? []);
    }
    return known(statements);
  });
}

/**
 * The policy document with its statements as plain JSON. An `iam.PolicyDocument` renders its
 * statements without resolving them (`toJSON`), and the statements are read as they are: resolving
 * every ARN in them would cost more than all other checks together.
 */
function documentOf(policy: ResourceView): unknown {
  const raw = policy.rawValue('PolicyDocument');
  let document = raw?.value;
  if (document instanceof iam.PolicyDocument) {
    document = document.toJSON();
  }
  if (raw === undefined || Tokenization.isResolvable(document)) {
    return policy.read('PolicyDocument');
  }
  return document;
}

/** A public Deny statement that covers all S3 actions (`s3:*` or `*`) on the bucket and its objects. */
function isBucketWideDeny(context: RuleContext, statement: Statement, bucket: ResourceView): boolean {
  if (field(statement, 'Effect') !== 'Deny' || !hasPublicPrincipal(statement)) {
    return false;
  }
  if (!asList(field(statement, 'Action')).some(a => actionMatches(a, 's3:*') || a === '*')) {
    return false;
  }
  // The bucket's own ARN token, and its objects', are found by their exact strings; other strings
  // that embed tokens are split into their references once, for both questions.
  const arn = arnTokenOf(bucket);
  const resources = asList(field(statement, 'Resource'));
  if (resources.includes(arn) && resources.includes(`${arn}/*`)) {
    return true;
  }
  const parsed = resources.map(r => typeof r === 'string' && Token.isUnresolved(r) ? context.splitReferences(r) : r);
  return parsed.some(r => refersTo(r, bucket, false)) && parsed.some(r => refersTo(r, bucket, true));
}

/** The token string CDK hands out for the bucket's ARN (`bucket.bucketArn`, `attrArn`). */
function arnTokenOf(bucket: ResourceView): string {
  const typed = (bucket.resource as { attrArn?: unknown }).attrArn;
  return typeof typed === 'string' ? typed : bucket.resource.getAtt('Arn').toString();
}

/** Whether a policy `Resource` entry is the bucket (`objects: false`) or all its objects (`true`). */
function refersTo(resource: unknown, bucket: ResourceView, objects: boolean): boolean {
  if (resource === '*') {
    return true;
  }
  const name = bucket.read('BucketName');
  if (typeof resource === 'string') {
    return typeof name === 'string' && resource.endsWith(`:::${name}${objects ? '/*' : ''}`);
  }
  const fn = intrinsicName(resource);
  if (!objects && (fn === 'Fn::GetAtt' || isResourceReference(resource))) {
    return isArnOf(resource, bucket);
  }
  if (objects && fn === 'Fn::Join') {
    const [, parts] = (resource as JsonObject)['Fn::Join'] as [unknown, unknown[]];
    return Array.isArray(parts) && parts.some(p => isArnOf(p, bucket)) && parts[parts.length - 1] === '/*';
  }
  return false;
}

function isArnOf(value: unknown, bucket: ResourceView): boolean {
  if (isResourceReference(value)) {
    return value.target === bucket.resource && value.attribute === 'Arn';
  }
  if (!isObject(value) || intrinsicName(value) !== 'Fn::GetAtt') {
    return false;
  }
  // A literal `Fn::GetAtt` (an included template, a raw override) names the bucket by logical ID.
  const [id, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
  return attribute === 'Arn' && id === bucket.logicalId;
}

/** The value of a condition key under an operator, case-insensitively. */
export function conditionValue(statement: Statement, operator: string, key: string): unknown {
  const conditions = field(statement, 'Condition');
  const byKey = field(conditions, operator);
  return isObject(byKey) ? field(byKey, key) : undefined;
}
