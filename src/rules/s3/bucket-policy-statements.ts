import { ANY_RUN, arnPatternOf, ArnSetPart, coverEvery, matchSome, opaqueValue } from '../../aws/arn-patterns';
import { andAll, orAll } from '../../aws/iam-conditions';
import { deniesEveryRequest, fixedContext, isUnknownStatement, Statement, statementsOf, Tri } from '../../aws/iam-policy';
import { asList, fieldOf, intrinsicName, JsonObject } from '../../aws/json';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { MemoKey, RuleContext, TargetSpec } from '../../engine/rule-context';
import { known, Reading, unknown } from '../../engine/values';

const BUCKET: TargetSpec = { types: ['AWS::S3::Bucket'], nameProperty: 'BucketName', noun: 'bucket' };

/** A bucket policy that applies to a bucket, with its statements. */
export interface AppliedPolicy {
  readonly policy: ResourceView;
  readonly statements: Statement[];
}

const BUCKET_POLICIES = new MemoKey<Reading<AppliedPolicy[]>>('s3:bucket-policies');

/**
 * The bucket policies, anywhere in the app, that apply to `bucket` in its world. A bucket has one
 * policy: when several `AWS::S3::BucketPolicy` resources name it, the last one applied replaces
 * the others, and CloudFormation does not say which is last, so each must stand on its own.
 */
export function bucketPolicies(context: RuleContext, bucket: ResourceView): Reading<AppliedPolicy[]> {
  return context.memo(BUCKET_POLICIES, bucket, () => {
    const policies = context.referrers(bucket, 'AWS::S3::BucketPolicy', ['Bucket'], BUCKET);
    if (!policies.known) {
      return unknown(`a bucket policy known only at deploy time may apply to it: ${policies.why}`);
    }
    const applied: AppliedPolicy[] = [];
    for (const policy of policies.value) {
      const document = policy.object('PolicyDocument');
      if (!document.known) {
        return unknown(`the policy document of ${policy.displayName} cannot be known: ${document.why}`);
      }
      // A statement a macro returns cannot take a Deny away: the others still tell what they deny.
      const statements = statementsOf(document.value, true);
      if (statements === undefined) {
        return unknown(`the statements of ${policy.displayName} are not a list known at synth time`);
      }
      applied.push({ policy, statements });
    }
    return known(applied);
  });
}

/**
 * Whether the policy's statements deny, to every principal, every S3 action on the bucket and on
 * every object in it, for every request whose context has the `fixed` keys. Statements may share
 * the work (one for the bucket, one for its objects); resource patterns are judged against every
 * ARN they must cover (a pattern that wants a `/` inside the key leaves out `report.csv`), a
 * bucket whose name is generated at deploy time as every possible name.
 */
export function deniesBucketWide(policy: AppliedPolicy, bucket: ResourceView, fixed: { [key: string]: string }): Tri {
  const context = fixedContext(fixed);
  const sure: Statement[] = [];
  const maybe: Statement[] = [];
  for (const statement of policy.statements) {
    const denies = deniesEveryRequest(statement, 's3', context);
    if (denies === true) {
      sure.push(statement);
    } else if (denies === undefined) {
      maybe.push(statement);
    }
  }
  const name = literalName(bucket) ?? BUCKET_NAME;
  const sets: ArnSetPart[][] = [[`arn:aws:s3:::${name}`], [`arn:aws:s3:::${name}/`, ANY_RUN]];
  const coveredBy = (statements: Statement[]) => andAll(sets.map(set => setCovered(statements, set, bucket, name)));
  const now = coveredBy(sure);
  if (now !== false || maybe.length === 0) {
    return now;
  }
  if (maybe.some(isUnknownStatement)) {
    // A statement only the deployment knows may deny the rest.
    return undefined;
  }
  // Statements whose denial depends on a deploy-time value: only they could make it cover.
  return coveredBy([...sure, ...maybe]) === false ? false : undefined;
}

/**
 * Whether the resources of the statements together cover every ARN of the set: the union of their
 * `Resource` patterns, or one `NotResource` statement that leaves none of the set out.
 */
function setCovered(statements: Statement[], set: ArnSetPart[], bucket: ResourceView, name: string): Tri {
  const results: Tri[] = [];
  const patterns: string[] = [];
  let unknownEntry = false;
  for (const statement of statements) {
    const notResource = fieldOf(statement, 'NotResource');
    if (notResource !== undefined) {
      const excluded = asList(notResource).map(e => patternOf(e, bucket));
      const hit = excluded.every((p): p is string => p !== undefined)
        ? matchSome(excluded.filter(p => mayNameThisBucket(p, name)).map(p => withName(p, name)), set)
        : undefined;
      results.push(hit === undefined ? undefined : !hit);
      continue;
    }
    for (const entry of asList(fieldOf(statement, 'Resource'))) {
      const pattern = patternOf(entry, bucket);
      if (pattern === undefined) {
        unknownEntry = true;
      } else {
        patterns.push(withName(pattern, name));
      }
    }
  }
  const union = cachedCover(patterns, set);
  results.push(union === false && unknownEntry ? undefined : union);
  return orAll(results);
}

/**
 * Whether a pattern may name this bucket at all. S3 bucket names are unique across AWS and the
 * name CloudFormation generates for an unnamed bucket is new, so an ARN that spells another
 * bucket's name literally (`arn:aws:s3:::logs/*`) never names it; one with a wildcard or a
 * reference in the name may.
 */
function mayNameThisBucket(pattern: string, name: string): boolean {
  if (name !== BUCKET_NAME) {
    return true;
  }
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return true;
  }
  const bucketPart = parts.slice(5).join(':').split('/')[0];
  // A wildcard before the name may take in part of the name and key too.
  return /[*?]/.test(parts.slice(0, 5).join(':')) || /[*?]/.test(bucketPart) || bucketPart.includes(BUCKET_NAME);
}

/** A pattern with the bucket's placeholder replaced by its literal name, when it has one. */
function withName(pattern: string, name: string): string {
  return name === BUCKET_NAME ? pattern : pattern.split(BUCKET_NAME).join(name);
}

/** Answers by patterns and set: the same few per app (`arn:aws:s3:::*`, `${name}/*`). */
const COVERS = new Map<string, Tri>();

function cachedCover(patterns: string[], set: ArnSetPart[]): Tri {
  const key = `${patterns.join('\u0000')}\u0001${set.map(p => p === ANY_RUN ? '\u0002' : p).join('')}`;
  if (!COVERS.has(key)) {
    if (COVERS.size > 10_000) {
      COVERS.clear();
    }
    COVERS.set(key, coverEvery(patterns, set));
  }
  return COVERS.get(key);
}

const OTHER = '\u0000other';

/** The bucket's name in patterns: one value known only at deploy time, unless the bucket names itself. */
const BUCKET_NAME = opaqueValue(0);

function literalName(bucket: ResourceView): string | undefined {
  const name = bucket.read('BucketName');
  return typeof name === 'string' ? name : undefined;
}

/**
 * A `Resource` entry as a pattern over ARNs, with the bucket's own name as a placeholder: CDK
 * references (`bucket.bucketArn`, `${bucket.bucketArn}/*`), literal `Ref`/`Fn::GetAtt`/`Fn::Sub`
 * of the bucket's logical ID (included templates), and literal ARNs. `undefined` when a part is
 * known only at deploy time.
 */
function patternOf(entry: unknown, bucket: ResourceView): string | undefined {
  const arn = `arn:aws:s3:::${BUCKET_NAME}`;
  const refs = (name: string) => name === 'AWS::Partition' ? 'aws' : name === bucket.logicalId ? BUCKET_NAME
    : name === `${bucket.logicalId}.Arn` ? arn : undefined;
  return arnPatternOf(entry, refs, other => {
    if (isResourceReference(other)) {
      return other.target !== bucket.resource ? OTHER : other.attribute === 'Arn' ? arn : other.attribute === 'Ref' ? BUCKET_NAME : OTHER;
    }
    if (intrinsicName(other) !== 'Fn::GetAtt') {
      return undefined;
    }
    const args = (other as JsonObject)['Fn::GetAtt'];
    const [id, attribute] = Array.isArray(args) ? args : String(args).split('.');
    return id === bucket.logicalId && attribute === 'Arn' ? arn : id === bucket.logicalId ? OTHER : undefined;
  });
}
