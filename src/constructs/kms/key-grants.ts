/**
 * Grants on the keys this library builds (internal: not exported from the package). Their key
 * policies do not delegate use to IAM, so every grant must reach the key policy.
 */
import { createHash } from 'crypto';
import { CfnResource, Reference, Stack, TagManager, Tags, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { refuseGroup } from './key-principals';
import { validationError } from '../../private/errors';

/** What `grantDecrypt` and `grantEncrypt` give, as `kms.Key` does. */
export const DECRYPT_ACTIONS = ['kms:Decrypt'];
export const ENCRYPT_ACTIONS = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];


/** Conditions of an IAM statement, by operator. */
export type Conditions = { [operator: string]: { [key: string]: unknown } };

/**
 * Grants `actions` on a key whose policy does not trust IAM: the key policy must let the grantee in,
 * and the grantee's policy must allow it.
 *
 * - Same stack (or a principal outside the app, an account, a service): the key policy names the
 *   grantee, as `kms.Key` does.
 * - A role or user of another stack of the same account (any Region): naming it in the key policy makes the key's
 *   stack depend on the grantee's, while the grantee's policy names the key the other way: a cycle.
 *   Instead, the grantee is tagged (`encryption-guard/<key>/<grant>` = `true`), and the key policy lets
 *   the account's principals carrying that tag make these calls (`aws:PrincipalTag`, with
 *   `kms:CallerAccount`); the grantee's own policy still has to allow them, and names the key. Nothing
 *   in the key's stack refers to the grantee's, so references run one way only.
 */
export function grantOnPolicyKey(key: kms.IKey, grantee: iam.IGrantable, actions: string[], conditions?: Conditions,
  /** Narrower conditions for the grantee's own policy only (values of other stacks, which the key's policy must not name). */
  granteeConditions: Conditions | undefined = conditions): iam.Grant {
  const principal = grantee.grantPrincipal;
  const keyStack = Stack.of(key);
  // A group cannot be named in the key policy (aws-cdk-lib's error would not say what to do instead).
  refuseGroup(key, principal, `A grant of ${actions.join(', ')} on key ${key.node.path}`);
  // `secret.grantRead(role)` grants on the secret's key to `ViaServicePrincipal(secretsmanager, role)`:
  // for a role of another stack, grant to the role itself, with the service's condition, so that it
  // takes the principal-tag path below instead of naming the role in the key policy (a cycle).
  if (principal instanceof kms.ViaServicePrincipal) {
    const base = (principal as unknown as { basePrincipal?: iam.IPrincipal }).basePrincipal;
    if (base !== undefined && iam.principalIsOwnedResource(base)) {
      const baseStack = Stack.of(base as unknown as IConstruct);
      if (baseStack !== keyStack && baseStack.account === keyStack.account) {
        const via = principal.policyFragment.conditions as Conditions;
        return grantOnPolicyKey(key, base, actions, mergeConditions(conditions, via), mergeConditions(granteeConditions, via));
      }
    }
  }
  const owned = iam.principalIsOwnedResource(principal);
  const granteeStack = owned ? Stack.of(principal as unknown as IConstruct) : undefined;
  // Principal tags are global: a grantee of another Region of the account takes the tag path too.
  const sameAccount = granteeStack !== undefined && granteeStack.account === keyStack.account;
  if (granteeStack === undefined || granteeStack === keyStack || !sameAccount) {
    // The key-policy statement is written here rather than by `Grant.addToPrincipalAndResource`,
    // which drops `conditions` from it before aws-cdk-lib 2.276 (an encryption context would then
    // bind nothing).
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [granteeStack !== undefined && !sameAccount ? new iam.AccountPrincipal(granteeStack.account) : principal],
      actions,
      resources: ['*'],
      conditions,
    }));
    return grantInIdentityPolicy(key, grantee, actions, granteeConditions);
  }
  const tagged = (principal as unknown as IConstruct).node.defaultChild;
  if (!(tagged instanceof CfnResource) || !TagManager.isTaggable(tagged)) {
    throw validationError('CrossStackGrantNeedsTaggablePrincipal',
      `A grant on key ${key.node.path} to ${(principal as unknown as IConstruct).node.path} of stack ${granteeStack.node.path} crosses stacks, `
      + 'and is given through a principal tag, but that principal cannot be tagged. Grant to an iam.Role or iam.User (they can be tagged); '
      + 'a principal that a key policy can name by ARN may also be defined in the key\'s own stack.', key);
  }
  const grantHash = digest(JSON.stringify([...actions].sort()) + JSON.stringify(keyStack.resolve(conditions) ?? {}));
  const tagKey = `encryption-guard/${digest(key.node.path)}/${grantHash}`;
  Tags.of(principal as unknown as IConstruct).add(tagKey, 'true');
  limitTags(tagged);
  const sid = `CrossStackGrant${grantHash}`;
  if (!ADDED_CROSS_STACK.get(key)?.has(sid)) {
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid,
      principals: [new iam.AccountRootPrincipal()],
      actions,
      resources: ['*'],
      conditions: mergeConditions(conditions, { StringEquals: { [`aws:PrincipalTag/${tagKey}`]: 'true', 'kms:CallerAccount': keyStack.account } }),
    }));
    ADDED_CROSS_STACK.set(key, new Set([...(ADDED_CROSS_STACK.get(key) ?? []), sid]));
  }
  return grantInIdentityPolicy(key, grantee, actions, granteeConditions);
}

/** The grantee's own policy's part of a grant on a key (see `identityTargetOf`). */
export function grantInIdentityPolicy(key: kms.IKey, grantee: iam.IGrantable, actions: string[], conditions: Conditions | undefined): iam.Grant {
  const target = identityTargetOf(key);
  return iam.Grant.addToPrincipal({
    grantee,
    actions,
    resourceArns: target.arns,
    conditions: target.conditions === undefined ? conditions : mergeConditions(conditions, target.conditions),
  });
}

/**
 * What an IAM policy names to allow calls on a key: its ARN; for a key imported by its alias name
 * (`kms.Alias.fromAliasName`), whose ARN is an alias ARN that authorizes nothing, the keys of the
 * account and Region that carry that alias (`kms:ResourceAliases`).
 */
export function identityTargetOf(key: kms.IKey): { readonly arns: string[]; readonly conditions?: Conditions } {
  const aliasName = (key as { aliasName?: string }).aliasName;
  if (aliasName === undefined || key instanceof kms.Alias) {
    return { arns: [key.keyArn] };
  }
  return {
    arns: [Stack.of(key).formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
    conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': aliasName } },
  };
}

const ADDED_CROSS_STACK = new WeakMap<IConstruct, Set<string>>();

/** IAM's quota of tags on a role or user. */
const MAX_PRINCIPAL_TAGS = 50;
const LIMITED = new WeakSet<CfnResource>();

/**
 * Refuses, at synthesis (once every Aspect has tagged), a principal that the grants' tags take past
 * IAM's 50 tags: CreateRole or TagRole would fail at deploy time.
 */
function limitTags(tagged: CfnResource): void {
  if (LIMITED.has(tagged)) {
    return;
  }
  LIMITED.add(tagged);
  tagged.node.addValidation({
    validate: () => {
      const rendered: unknown = TagManager.of(tagged)?.renderTags();
      // A list of { key, value } for IAM (a map for other tag types).
      const own = Array.isArray(rendered) ? rendered.map(t => String((t as { key?: unknown; Key?: unknown }).key ?? (t as { Key?: unknown }).Key))
        : Object.keys(rendered ?? {});
      // CloudFormation also puts the stack's own tags on every resource it creates, and a parent
      // stack's on its nested stacks' resources.
      const stackTags: string[] = [];
      for (let stack: Stack | undefined = Stack.of(tagged); stack !== undefined; stack = stack.nestedStackParent) {
        stackTags.push(...Object.keys(stack.tags.tagValues()));
      }
      const keys = [...new Set([...own, ...stackTags])];
      const ours = keys.filter(k => k.startsWith('encryption-guard/')).length;
      return keys.length <= MAX_PRINCIPAL_TAGS ? [] : [`${tagged.node.scope?.node.path ?? tagged.node.path} would carry ${keys.length} tags, ${ours} of `
        + `them for grants on keys of other stacks (one per key and kind of grant), but IAM allows ${MAX_PRINCIPAL_TAGS} on a role or user, so `
        + 'its creation would fail. Give it fewer kinds of grant per key (grantReadWrite covers grantRead and grantPut), grant it in the keys\' '
        + 'stacks (their policies then name it), or split the work across roles.'];
    },
  });
}

/** A short stable hash of a text (for tag keys and statement IDs). */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function mergeConditions(a: Conditions | undefined, b: Conditions): Conditions {
  const merged: Conditions = { ...(a ?? {}) };
  for (const [operator, keys] of Object.entries(b)) {
    merged[operator] = { ...(merged[operator] ?? {}), ...keys };
  }
  return merged;
}

/**
 * Lets principals of the key's account use it through one AWS service, for what that service does on
 * their behalf when they create or change a resource (`kms:ViaService`, `kms:CallerAccount`; grants
 * only for AWS resources). This is what the deploying role needs for CreateDBInstance (RDS creates a
 * grant), CreateSecret (Secrets Manager generates a data key), and so on; their IAM policies must
 * still allow the calls. Returns whether the key's policy could be changed (an imported key cannot).
 */
export function allowUseThroughService(key: kms.IKey, service: string, actions: string[]): boolean {
  const stack = Stack.of(key);
  const via = { 'kms:ViaService': `${service}.${stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account };
  const serviceName = service.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
  const grants = actions.filter(a => a === 'kms:CreateGrant');
  const others = actions.filter(a => a !== 'kms:CreateGrant');
  const statements = [
    ...(others.length === 0 ? [] : [new iam.PolicyStatement({
      sid: `AllowUseThrough${serviceName}`, principals: [new iam.AccountRootPrincipal()], actions: others, resources: ['*'], conditions: { StringEquals: via },
    })]),
    ...(grants.length === 0 ? [] : [new iam.PolicyStatement({
      sid: `AllowGrantsThrough${serviceName}`,
      principals: [new iam.AccountRootPrincipal()],
      actions: grants,
      resources: ['*'],
      conditions: { StringEquals: via, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    })]),
  ];
  const added = ADDED_SERVICE_USE.get(key) ?? new Set<string>();
  let changed = true;
  for (const statement of statements) {
    if (added.has(statement.sid!)) {
      continue;
    }
    changed = key.addToResourcePolicy(statement).statementAdded && changed;
    added.add(statement.sid!);
  }
  ADDED_SERVICE_USE.set(key, added);
  return changed;
}

const ADDED_SERVICE_USE = new WeakMap<kms.IKey, Set<string>>();

/**
 * The key of this library behind an alias, or behind an imported reference (`kms.Key.fromKeyArn`
 * with our key's ARN token): grants must go to its key policy, since it does not trust IAM, and on
 * its key ARN (an alias ARN authorizes nothing).
 */
export function underlyingKey(key: kms.IKey): kms.IKey {
  if (key instanceof kms.Alias) {
    return underlyingKey(key.aliasTargetKey);
  }
  const target = importedAliasTargetOf(key);
  if (target !== undefined) {
    return underlyingKey(target);
  }
  const arn = key.keyArn;
  if (Token.isUnresolved(arn)) {
    const token = Tokenization.reverseString(arn).firstToken;
    if (token instanceof Reference && token.target !== key) {
      const owner = token.target.node.scope;
      if (owner !== undefined && owner !== key && isKey(owner)) {
        return underlyingKey(owner);
      }
    }
  }
  return key;
}

/**
 * The key an alias imported with `kms.Alias.fromAliasAttributes` names (its `aliasTargetKey`, a
 * getter). One imported by name (`fromAliasName`, its name an own field) names none, and its
 * `aliasTargetKey` throws a CDK error: never asked, since the `cdk` CLI records every CDK error
 * made, caught or not, in the assembly's `error.txt`.
 */
function importedAliasTargetOf(key: kms.IKey): kms.IKey | undefined {
  if (!('aliasName' in key) || Object.prototype.hasOwnProperty.call(key, 'aliasName')) {
    return undefined;
  }
  try {
    const target = (key as { aliasTargetKey?: unknown }).aliasTargetKey;
    return target !== key && isKey(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

function isKey(construct: unknown): construct is kms.IKey {
  return construct instanceof kms.Key || (typeof (construct as kms.IKey)?.keyArn === 'string' && typeof (construct as kms.IKey)?.grantDecrypt === 'function');
}
