import { andAll, orAll } from '../../aws/iam-conditions';
import { deniesEveryRequest, fixedContext, Statement, statementsOf, Tri } from '../../aws/iam-policy';
import { intrinsicName, isJsonObject, JsonObject } from '../../aws/json';
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
      const statements = statementsOf(document.value);
      if (statements === undefined) {
        return unknown(`the statements of ${policy.displayName} are not a list known at synth time`);
      }
      applied.push({ policy, statements });
    }
    return known(applied);
  });
}

/**
 * Whether some statement of the policy denies, to every principal, every S3 action on the bucket
 * and all its objects, for every request whose context has the `fixed` keys.
 */
export function deniesBucketWide(policy: AppliedPolicy, bucket: ResourceView, fixed: { [key: string]: string }): Tri {
  const context = fixedContext(fixed);
  const covers = (entries: unknown[]) => andAll([
    orAll(entries.map(e => entryMatches(e, bucket, false))),
    orAll(entries.map(e => entryMatches(e, bucket, true))),
  ]);
  return orAll(policy.statements.map(s => deniesEveryRequest(s, 's3', context, covers)));
}

const OTHER = '\u0000other';

/** Whether a `Resource` entry covers the bucket (`objects` false) or every object in it (`true`). */
function entryMatches(entry: unknown, bucket: ResourceView, objects: boolean): Tri {
  const pattern = patternOf(entry, bucket);
  if (pattern === undefined) {
    return undefined;
  }
  const name = literalName(bucket) ?? BUCKET_NAME;
  const target = objects ? `arn:aws:s3:::${name}/${OBJECT_KEY}` : `arn:aws:s3:::${name}`;
  if (!/[*?]/.test(pattern)) {
    return pattern.split(BUCKET_NAME).join(name) === target;
  }
  const key = `${name}\u0000${pattern}`;
  let regex = PATTERNS.get(key);
  if (regex === undefined) {
    if (PATTERNS.size > 10_000) {
      PATTERNS.clear();
    }
    regex = new RegExp(`^${pattern.split(BUCKET_NAME).map(part => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join(escape(name))}$`, 's');
    PATTERNS.set(key, regex);
  }
  return regex.test(target);
}

/** Compiled resource patterns: the same few per app (`arn:aws:s3:::*`, `${name}/*`). */
const PATTERNS = new Map<string, RegExp>();

const BUCKET_NAME = '\u0001bucket';
const OBJECT_KEY = 'ceg-any/object-key';

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}

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
  if (typeof entry === 'string') {
    return entry;
  }
  if (isResourceReference(entry)) {
    if (entry.target !== bucket.resource) {
      return OTHER;
    }
    return entry.attribute === 'Arn' ? `arn:aws:s3:::${BUCKET_NAME}` : entry.attribute === 'Ref' ? BUCKET_NAME : OTHER;
  }
  const fn = intrinsicName(entry);
  const args = fn === undefined ? undefined : (entry as JsonObject)[fn];
  switch (fn) {
    case 'Ref':
      return args === bucket.logicalId ? BUCKET_NAME : args === 'AWS::Partition' ? 'aws' : undefined;
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(args) ? args : String(args).split('.');
      return id === bucket.logicalId && attribute === 'Arn' ? `arn:aws:s3:::${BUCKET_NAME}` : id === bucket.logicalId ? OTHER : undefined;
    }
    case 'Fn::Join': {
      const [delimiter, parts] = Array.isArray(args) ? args : [];
      if (typeof delimiter !== 'string' || !Array.isArray(parts)) {
        return undefined;
      }
      const patterns = parts.map(p => patternOf(p, bucket));
      return patterns.every(p => p !== undefined) ? patterns.join(delimiter) : undefined;
    }
    case 'Fn::Sub': {
      const template = Array.isArray(args) ? args[0] : args;
      const variables = Array.isArray(args) && isJsonObject(args[1]) ? args[1] : {};
      if (typeof template !== 'string') {
        return undefined;
      }
      let complete = true;
      const text = template.replace(/\$\{([^}!][^}]*)\}/g, (_whole, name: string) => {
        if (name in variables) {
          const inner = patternOf(variables[name], bucket);
          complete = complete && inner !== undefined;
          return inner ?? '';
        }
        if (name === 'AWS::Partition') {
          return 'aws';
        }
        if (name === bucket.logicalId) {
          return BUCKET_NAME;
        }
        if (name === `${bucket.logicalId}.Arn`) {
          return `arn:aws:s3:::${BUCKET_NAME}`;
        }
        complete = false;
        return '';
      });
      return complete ? text : undefined;
    }
    default:
      return undefined;
  }
}
