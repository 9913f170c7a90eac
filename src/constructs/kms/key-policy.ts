import { createHash } from 'crypto';
import { CfnResource, DefaultStackSynthesizer, Fn, Reference, Stack, TagManager, Tags, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { hasAdministrator, hasPublicPrincipal, publicStatements, Statement, statementsOf } from '../../aws/iam-policy';
import { isAccountId } from '../../private/account-id';
import { validationError } from '../../private/errors';

/**
 * Who may manage and use a customer managed key. Shared by `CmkWithPolicy`, `MultiRegionKey` and
 * `ReplicaKey`: each builds its key policy from these options, statement by statement.
 */
export interface KeyPolicyOptions {
  /**
   * Principals that manage the key (change its policy, enable, disable, rotate, tag, schedule
   * deletion) but cannot use it to encrypt or decrypt.
   *
   * @default - the account (its root principal) for administrative actions only: IAM principals of
   * the account whose own IAM policies allow KMS administration can manage the key, so it can never
   * be locked out, but nobody can use it unless named in `keyUsers` or granted.
   */
  readonly administrators?: iam.IPrincipal[];

  /**
   * Principals that use the key: `kms:Encrypt`, `kms:Decrypt`, `kms:ReEncrypt*`,
   * `kms:GenerateDataKey*` and `kms:DescribeKey`, and grants for AWS resources. They cannot manage it.
   *
   * @default - none; use `grant*` methods to give specific principals specific uses
   */
  readonly keyUsers?: iam.IPrincipal[];

  /**
   * Require multi-factor authentication for `kms:Decrypt` by key users and other accounts
   * (`aws:MultiFactorAuthPresent`). For people; a service role never has MFA, so grant it instead.
   *
   * @default false
   */
  readonly requireMfaForDecrypt?: boolean;

  /**
   * Other AWS accounts (12-digit IDs) whose principals may use the key, with the same actions and
   * conditions as key users. Those accounts still have to allow it in their IAM policies.
   *
   * @default - no other account
   */
  readonly crossAccountIds?: string[];

  /**
   * Restrict key users and other accounts to using the key through these AWS services only
   * (`kms:ViaService`), named by their endpoint prefix: `s3`, `rds`, `secretsmanager`, `ec2`, ...
   *
   * @default - no restriction: key users may call KMS directly
   */
  readonly viaServices?: string[];

  /**
   * The ARN of the role that deploys the stack (its CloudFormation execution role). When
   * `administrators` leaves out the account, this role stays an administrator of the key (the
   * account principal, limited to this ARN by `aws:PrincipalArn`): KMS refuses to create a key whose
   * policy would not let the caller change it again (the lockout safety check), and later
   * deployments must still update the policy. Unused when the account is an administrator.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`; with any
   * other synthesizer, `administrators` must include the account (`new iam.AccountRootPrincipal()`)
   */
  readonly deployingRoleArn?: string;
}

/** Actions that manage a key without using it: no Encrypt, Decrypt, GenerateDataKey or CreateGrant. */
export const ADMIN_ACTIONS = [
  'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
  'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListAliases', 'kms:ListGrants',
  'kms:ListKeyPolicies', 'kms:ListKeyRotations', 'kms:ListResourceTags', 'kms:ListRetirableGrants',
  'kms:PutKeyPolicy', 'kms:UpdateKeyDescription', 'kms:EnableKey', 'kms:DisableKey',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:TagResource', 'kms:UntagResource',
  'kms:ReplicateKey', 'kms:UpdatePrimaryRegion',
];

/** What key users may do. */
export const USE_ACTIONS = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * Builds and guards the key policy of one key. The policy refuses, at construction, what would
 * lock the key out or open it to everyone; a validation re-checks the final document at synthesis.
 */
export class KeyPolicyModel {
  public readonly document: iam.PolicyDocument;

  private key?: IConstruct;

  /**
   * @param scope where the key is created (its stack's Region names the `kms:ViaService` endpoints)
   */
  constructor(private readonly scope: IConstruct, options: KeyPolicyOptions) {
    validateOptions(scope, options);
    const stack = Stack.of(scope);
    const administrators = options.administrators ?? [new iam.AccountRootPrincipal()];
    const deployingRole = administrators.some(p => isAccountRoot(scope, p)) ? undefined : deployingRoleOf(scope, options);
    const viaService = options.viaServices?.length
      ? { StringEquals: { 'kms:ViaService': options.viaServices.map(s => `${s}.${stack.region}.amazonaws.com`) } }
      : undefined;
    const statements = [
      new iam.PolicyStatement({ sid: 'KeyAdministration', principals: administrators, actions: ADMIN_ACTIONS, resources: ['*'] }),
      // KMS's lockout safety check: the caller of CreateKey (the deploying role) must be able to
      // PutKeyPolicy under the new policy. Named by a condition, so the role need not exist yet.
      ...(deployingRole === undefined ? [] : [new iam.PolicyStatement({
        sid: 'DeployingRoleAdministration',
        principals: [new iam.AccountRootPrincipal()],
        actions: ADMIN_ACTIONS,
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': deployingRole } },
      })]),
      ...useStatements('KeyUsers', options.keyUsers ?? [], options.requireMfaForDecrypt === true, viaService),
      ...useStatements('CrossAccount', (options.crossAccountIds ?? []).map(id => new iam.AccountPrincipal(id)),
        options.requireMfaForDecrypt === true, viaService),
      // Grants only for AWS resources (EBS, RDS, ... create them on the caller's behalf).
      new iam.PolicyStatement({
        sid: 'DenyGrantsNotForAwsResources',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    ];
    this.document = new iam.PolicyDocument({ statements });
  }

  /** Ties the model to its key: the final document is re-checked when the key is validated. */
  public attach(key: IConstruct): void {
    this.key = key;
    key.node.addValidation({ validate: () => this.validateDocument() });
  }

  /** Refuses a statement open to everyone without a condition that narrows who. */
  public guard(statement: iam.PolicyStatement): void {
    const key = this.key ?? this.scope;
    const json = Stack.of(key).resolve(statement.toStatementJson()) as Statement;
    if (publicStatements([json]).length > 0) {
      throw validationError('PublicKeyPolicyStatement',
        `A key policy statement for ${key.node.path} allows ${JSON.stringify(json.Action)} to every principal ("*") without a condition `
        + 'that limits who (aws:PrincipalAccount, aws:PrincipalOrgID, kms:CallerAccount, kms:ViaService, ...). Name the principals, or add such a condition.',
        key);
    }
  }

  private validateDocument(): string[] {
    const statements = statementsOf(Stack.of(this.scope).resolve(this.document.toJSON())) ?? [];
    const errors: string[] = [];
    if (publicStatements(statements).length > 0) {
      errors.push('The key policy allows every principal ("*") without a condition that limits who; name the principals or add a condition.');
    }
    if (!hasAdministrator(statements)) {
      errors.push('The key policy lets no principal manage the key (kms:PutKeyPolicy): the key would be locked out. Keep an administrator.');
    }
    return errors;
  }
}

function useStatements(prefix: string, principals: iam.IPrincipal[], mfa: boolean, viaService?: { [op: string]: unknown }): iam.PolicyStatement[] {
  if (principals.length === 0) {
    return [];
  }
  const statements = [
    new iam.PolicyStatement({
      sid: `${prefix}Use`,
      principals,
      resources: ['*'],
      conditions: viaService,
      actions: mfa ? USE_ACTIONS : [...USE_ACTIONS, 'kms:Decrypt'],
    }),
    new iam.PolicyStatement({
      sid: `${prefix}GrantsForAwsResources`,
      principals,
      resources: ['*'],
      actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
    }),
  ];
  if (mfa) {
    statements.splice(1, 0, new iam.PolicyStatement({
      sid: `${prefix}DecryptWithMfa`,
      principals,
      resources: ['*'],
      actions: ['kms:Decrypt'],
      conditions: { ...viaService, Bool: { 'aws:MultiFactorAuthPresent': true } },
    }));
  }
  return statements;
}

/** Whether a principal is the account root of the key's own account (`AccountRootPrincipal`, `AccountPrincipal(id)`). */
function isAccountRoot(scope: IConstruct, principal: iam.IPrincipal): boolean {
  const stack = Stack.of(scope);
  const statement = new iam.PolicyStatement({ principals: [principal], actions: ['kms:DescribeKey'], resources: ['*'] });
  const aws = JSON.stringify(stack.resolve(statement.toStatementJson()).Principal?.AWS ?? '');
  const account = Token.isUnresolved(stack.account) ? '{"Ref":"AWS::AccountId"}' : stack.account;
  return aws.includes(':root') && aws.includes(account);
}

/**
 * The role that deploys the key's stack: `deployingRoleArn`, or the CloudFormation execution role of
 * a `DefaultStackSynthesizer`. Without one, a key whose administrators leave out the account would
 * fail KMS's lockout safety check at deploy time, so it is refused now.
 */
function deployingRoleOf(scope: IConstruct, options: KeyPolicyOptions): string {
  if (options.deployingRoleArn !== undefined) {
    return options.deployingRoleArn;
  }
  const synthesizer = Stack.of(scope).synthesizer;
  if (synthesizer instanceof DefaultStackSynthesizer) {
    // The synthesizer's ARN holds ${AWS::Partition}-style placeholders: Fn::Sub fills them in.
    return Fn.sub(synthesizer.cloudFormationExecutionRoleArn);
  }
  throw validationError('KeyLockoutCheck',
    `administrators leaves out the account, and the stack's ${synthesizer.constructor.name} names no deploying role: KMS CreateKey runs a `
    + 'lockout safety check and fails (MalformedPolicyDocumentException) unless the caller could change the key policy afterwards. '
    + 'Add new iam.AccountRootPrincipal() to administrators, or set deployingRoleArn to the role that deploys the stack.', scope);
}

function isEveryone(scope: IConstruct, principal: iam.IPrincipal): boolean {
  const statement = new iam.PolicyStatement({ principals: [principal], actions: ['kms:DescribeKey'], resources: ['*'] });
  return hasPublicPrincipal(Stack.of(scope).resolve(statement.toStatementJson()));
}

function validateOptions(key: IConstruct, options: KeyPolicyOptions): void {
  if (options.administrators !== undefined && options.administrators.length === 0) {
    throw validationError('KeyWithoutAdministrator',
      'administrators is empty: a key policy without an administrator locks the key out for good. '
      + 'Leave administrators unset (the account manages the key) or name at least one principal.', key);
  }
  for (const [prop, principals] of [['administrators', options.administrators], ['keyUsers', options.keyUsers]] as const) {
    if ((principals ?? []).some(p => isEveryone(key, p))) {
      throw validationError('PublicKeyPrincipal',
        `${prop} includes every principal ("*"): that opens the key to anyone. Name the roles, users or accounts instead.`, key);
    }
  }
  for (const id of options.crossAccountIds ?? []) {
    if (!isAccountId(id)) {
      throw validationError('InvalidAccountId', `crossAccountIds includes "${id}", which is not a 12-digit AWS account ID.`, key);
    }
  }
  for (const service of options.viaServices ?? []) {
    if (!/^[a-z0-9-]+$/.test(service)) {
      throw validationError('InvalidViaService',
        `viaServices includes "${service}": name a service by its endpoint prefix, such as "s3", "rds" or "secretsmanager".`, key);
    }
  }
}

/** A key whose policy this library builds (`CmkWithPolicy`, `ReplicaKey`): it does not delegate use to IAM. */
export interface PolicyKey extends kms.IKey {
  addToResourcePolicy(statement: iam.PolicyStatement, allowNoOp?: boolean): iam.AddToResourcePolicyResult;
}

/** Conditions of an IAM statement, by operator. */
export type Conditions = { [operator: string]: { [key: string]: unknown } };

/**
 * Grants `actions` on a key whose policy does not trust IAM: the key policy must let the grantee in,
 * and the grantee's policy must allow it.
 *
 * - Same stack (or a principal outside the app, an account, a service): the key policy names the
 *   grantee, as `kms.Key` does.
 * - A role or user of another stack of the same account: naming it in the key policy makes the key's
 *   stack depend on the grantee's, while the grantee's policy names the key the other way: a cycle.
 *   Instead, the grantee is tagged (`encryption-guard/<key>/<grant>` = `true`), and the key policy lets
 *   the account's principals carrying that tag make these calls (`aws:PrincipalTag`, with
 *   `kms:CallerAccount`); the grantee's own policy still has to allow them, and names the key. Nothing
 *   in the key's stack refers to the grantee's, so references run one way only.
 */
export function grantOnPolicyKey(key: PolicyKey, grantee: iam.IGrantable, actions: string[], conditions?: Conditions): iam.Grant {
  const principal = grantee.grantPrincipal;
  const keyStack = Stack.of(key);
  const owned = iam.principalIsOwnedResource(principal);
  const granteeStack = owned ? Stack.of(principal as unknown as IConstruct) : undefined;
  const sameEnvironment = granteeStack !== undefined && granteeStack.account === keyStack.account && granteeStack.region === keyStack.region;
  if (granteeStack === undefined || granteeStack === keyStack || !sameEnvironment) {
    return iam.Grant.addToPrincipalAndResource({
      grantee,
      actions,
      resourceArns: [key.keyArn],
      resource: key,
      resourceSelfArns: ['*'],
      conditions,
      resourcePolicyPrincipal: granteeStack !== undefined && !sameEnvironment ? new iam.AccountPrincipal(granteeStack.account) : undefined,
    });
  }
  const tagged = (principal as unknown as IConstruct).node.defaultChild;
  if (!(tagged instanceof CfnResource) || !TagManager.isTaggable(tagged)) {
    throw validationError('CrossStackGrantNeedsTaggablePrincipal',
      `A grant on key ${key.node.path} to ${(principal as unknown as IConstruct).node.path} of stack ${granteeStack.stackName} crosses stacks, `
      + 'and is given through a principal tag, but that principal cannot be tagged. Grant to an iam.Role or iam.User, or define both in one stack.', key);
  }
  const grantHash = digest(JSON.stringify([...actions].sort()) + JSON.stringify(keyStack.resolve(conditions) ?? {}));
  const tagKey = `encryption-guard/${digest(key.node.path)}/${grantHash}`;
  Tags.of(principal as unknown as IConstruct).add(tagKey, 'true');
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
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [key.keyArn], conditions });
}

const ADDED_CROSS_STACK = new WeakMap<IConstruct, Set<string>>();

function digest(text: string): string {
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

function isKey(construct: unknown): construct is kms.IKey {
  return construct instanceof kms.Key || (typeof (construct as kms.IKey)?.keyArn === 'string' && typeof (construct as kms.IKey)?.grantDecrypt === 'function');
}
