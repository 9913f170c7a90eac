import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import { ResolvedApp, ResolvedResource } from './resolver';

/** The account every contract runs in, and one that is not ours. */
export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '999999999999';

/** The CloudFormation execution role of the bootstrap stack: `Allow *:*`, named in no resource policy. */
export function deployRole(region: string, account = ACCOUNT): string {
  return `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-${region}`;
}

export const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** `'anonymous'`, a role/user ARN, an account root, or a service principal (`logging.s3.amazonaws.com`). */
export type Caller = string;

export interface Call {
  readonly principal: Caller;
  readonly action: string;
  /** The ARN the call is made on. */
  readonly resource: string;
  /** Request context AWS sets (aws:SecureTransport is `true` unless given). */
  readonly context?: Record<string, string | string[]>;
  /**
   * The caller's identity policies; by default those the app gives the principal (none for a
   * principal outside the app).
   */
  readonly identityPolicies?: unknown[];
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * Decides calls against the policies of a resolved app, with iam-simulate: identity policies of the
 * caller, the resource policy of the target (key policy, bucket policy, secret policy).
 */
export class Authorizer {
  constructor(private readonly app: ResolvedApp) {}

  /** The resource policy in force on an ARN (undefined when the app gives it none). */
  public resourcePolicyOf(arn: string): any {
    if (arn.startsWith('arn:aws:kms:')) {
      const key = [...this.app.resources('AWS::KMS::Key'), ...this.app.resources('AWS::KMS::ReplicaKey')].find(k => k.arn === arn);
      return key?.properties.KeyPolicy;
    }
    if (arn.startsWith('arn:aws:s3:::')) {
      const bucketName = arn.slice('arn:aws:s3:::'.length).split('/')[0];
      // A bucket has one policy: the last one applied wins, and CDK makes at most one per bucket.
      const policies = this.app.resources('AWS::S3::BucketPolicy').filter(p => p.properties.Bucket === bucketName);
      return policies[policies.length - 1]?.properties.PolicyDocument;
    }
    if (arn.startsWith('arn:aws:secretsmanager:')) {
      // Secrets Manager replicates a secret's resource policy to its replicas, whose ARN is the
      // primary's in the replica's Region: a replica's ARN finds its primary's policy.
      const inAnyRegion = (secretArn: unknown) => typeof secretArn === 'string' && secretArn.split(':').filter((_, i) => i !== 3).join(':') === arn.split(':').filter((_, i) => i !== 3).join(':');
      const policies = this.app.resources('AWS::SecretsManager::ResourcePolicy');
      return (policies.find(p => p.properties.SecretId === arn) ?? policies.find(p => inAnyRegion(p.properties.SecretId)))?.properties.ResourcePolicy;
    }
    return undefined;
  }

  /** The role or user of the app with this ARN. */
  public identityOf(arn: string): ResolvedResource | undefined {
    return [...this.app.resources('AWS::IAM::Role'), ...this.app.resources('AWS::IAM::User')].find(r => r.arn === arn);
  }

  /** The identity policies the app attaches to a role or user. */
  public identityPoliciesOf(arn: string): unknown[] {
    const identity = this.identityOf(arn);
    if (identity === undefined) {
      return [];
    }
    const name = arn.split('/').pop();
    const inline = (identity.properties.Policies ?? []).map((p: any) => p.PolicyDocument);
    const attached = this.app.resources('AWS::IAM::Policy')
      .filter(p => (p.properties.Roles ?? []).includes(name) || (p.properties.Users ?? []).includes(name))
      .map(p => p.properties.PolicyDocument);
    return [...inline, ...attached];
  }

  /** Tags of a role or user of the app, as `aws:PrincipalTag/<key>` context. */
  private principalTags(arn: string): Record<string, string> {
    const tags: Array<{ Key: string; Value: string }> = this.identityOf(arn)?.properties.Tags ?? [];
    return Object.fromEntries(tags.map(t => [`aws:PrincipalTag/${t.Key}`, t.Value]));
  }

  public async decide(call: Call): Promise<Decision> {
    const anonymous = call.principal === 'anonymous';
    const service = !anonymous && !call.principal.startsWith('arn:');
    const principalAccount = anonymous || service ? undefined : call.principal.split(':')[4];
    const context: Record<string, string | string[]> = { 'aws:SecureTransport': 'true' };
    if (principalAccount !== undefined) {
      context['aws:PrincipalAccount'] = principalAccount;
      context['aws:PrincipalArn'] = call.principal;
      Object.assign(context, this.principalTags(call.principal));
      if (call.action.startsWith('kms:')) {
        context['kms:CallerAccount'] = principalAccount;
      }
    }
    if (service) {
      context['aws:PrincipalIsAWSService'] = 'true';
      context['aws:PrincipalServiceName'] = call.principal;
    }
    Object.assign(context, call.context ?? {});
    const identityPolicies = anonymous || service ? [] : call.identityPolicies ?? this.identityPoliciesOf(call.principal);
    const resourceAccount = call.resource.startsWith('arn:aws:s3:::') ? ACCOUNT : call.resource.split(':')[4] || ACCOUNT;
    const simulation = {
      request: {
        principal: anonymous ? anonymousPrincipal : call.principal,
        action: call.action,
        resource: { resource: call.resource, accountId: resourceAccount },
        contextVariables: context,
      },
      identityPolicies: identityPolicies.map((policy, i) => ({ name: `identity${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.resourcePolicyOf(call.resource),
    } as any;
    const response = await runSimulation(withEncryptionContextAsTags(simulation), {});
    if (response.resultType === 'error') {
      throw new Error(`Simulation of ${call.action} on ${call.resource} failed: ${JSON.stringify(response.errors)}`);
    }
    // A context key the simulator drops would make a condition silently fail: refuse such a test.
    const ignored: string[] = (response as any).result?.ignoredContextKeys ?? [];
    const given = ignored.filter(k => k in (call.context ?? {}));
    if (given.length > 0) {
      throw new Error(`The simulator ignores context ${given.join(', ')} for ${call.action} on ${call.resource}`);
    }
    return response.overallResult as Decision;
  }

  /** Decides many calls; returns `label -> decision` for readable expectations. */
  public async decideAll(calls: Record<string, Call>): Promise<Record<string, Decision>> {
    const entries = await Promise.all(Object.entries(calls).map(async ([label, call]) => [label, await this.decide(call)] as const));
    return Object.fromEntries(entries);
  }
}

/** Context of a call a service makes to KMS on the caller's behalf. */
export function viaService(service: string, region: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'kms:ViaService': `${service}.${region}.amazonaws.com`, ...extra };
}

/** Context of a grant a service creates for an AWS resource. */
export function grantForResource(service: string, region: string): Record<string, string> {
  return viaService(service, region, { 'kms:GrantIsForAWSResource': 'true' });
}

/** Expect every label to have `decision`. */
export function only(results: Record<string, Decision>, decision: Decision): Record<string, Decision> {
  return Object.fromEntries(Object.entries(results).filter(([, d]) => d === decision));
}

/**
 * iam-simulate matches variable context keys only after a slash (`aws:PrincipalTag/x`), so it drops
 * `kms:EncryptionContext:<key>`. The same string comparison is made on a global key it does keep:
 * `aws:RequestTag/kms-ec-<key>`, in the policies and in the request alike.
 */
function withEncryptionContextAsTags<T>(simulation: T): T {
  return JSON.parse(JSON.stringify(simulation).replace(/"kms:EncryptionContext:([^"]+)"/gi, '"aws:RequestTag/kms-ec-$1"'));
}

/** Calls CloudFormation makes to create, update and delete a key (and its alias). */
export const KEY_LIFECYCLE = [
  'kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey', 'kms:EnableKeyRotation', 'kms:GetKeyRotationStatus',
  'kms:TagResource', 'kms:UntagResource', 'kms:ListResourceTags', 'kms:UpdateKeyDescription', 'kms:EnableKey',
  'kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
];

/**
 * The deploying role's calls on a key: every lifecycle call (the PutKeyPolicy lockout check
 * included), decided with its `Allow *:*` identity policy. Returns the calls not allowed.
 */
export async function deployerDeniedOnKey(authorizer: Authorizer, region: string, keyArn: string): Promise<string[]> {
  const decisions = await authorizer.decideAll(Object.fromEntries(KEY_LIFECYCLE.map(action => [action, {
    principal: deployRole(region), action, resource: keyArn, identityPolicies: [ALLOW_ALL],
  }])));
  return Object.entries(decisions).filter(([, d]) => d !== 'Allowed').map(([a, d]) => `${a}: ${d}`);
}

/** A role or user of the app whose logical ID starts with `prefix` (in `stack` if given). */
export function roleOf(resolved: ResolvedApp, prefix: string, stack?: string): string {
  return resolved.resource('AWS::IAM::Role', prefix, stack).arn;
}
