import { createHash } from 'crypto';
import { App, Stack } from 'aws-cdk-lib';

/**
 * Turns synthesized templates into literal policies, as CloudFormation would at deploy time:
 * `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::ImportValue` (through the
 * other stacks' exports), cross-Region export readers, and pseudo parameters. Physical names and IDs
 * are made up, deterministically, from the stack and logical ID: the contracts need ARNs that are
 * literal and distinct, not the ones AWS would pick.
 */

export const PARTITION = 'aws';

/** One synthesized stack: its template and environment. */
export interface StackTemplate {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: any;
}

/** A resource of a resolved template. */
export interface ResolvedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: any;
  /** The resource's ARN (or physical ID when it has no ARN). */
  readonly arn: string;
}

function hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A made-up but stable key ID (`mrk-` for multi-Region replicas). */
function keyId(seed: string, mrk = false): string {
  const h = hex(seed, 32);
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return mrk ? `mrk-${h}` : uuid;
}

export class ResolvedApp {
  /** Synthesizes `app` and reads every stack (nested stages included). */
  public static of(app: App): ResolvedApp {
    const assembly = app.synth();
    const stacks = assembly.stacksRecursively.map(s => ({
      stackName: s.stackName,
      account: s.environment.account,
      region: s.environment.region,
      template: s.template,
    }));
    return new ResolvedApp(stacks);
  }

  private readonly stacks = new Map<string, StackTemplate>();
  private readonly exports = new Map<string, { stack: StackTemplate; value: unknown }>();
  private readonly ssmExports = new Map<string, { stack: StackTemplate; value: unknown }>();

  constructor(stacks: StackTemplate[]) {
    for (const stack of stacks) {
      this.stacks.set(stack.stackName, stack);
      for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
        const name = output.Export?.Name;
        if (typeof name === 'string') {
          this.exports.set(name, { stack, value: output.Value });
        }
      }
      for (const resource of Object.values<any>(stack.template.Resources ?? {})) {
        if (resource.Type === 'Custom::CrossRegionExportWriter') {
          for (const [name, value] of Object.entries(resource.Properties?.WriterProps?.exports ?? {})) {
            this.ssmExports.set(name, { stack, value });
          }
        }
      }
    }
  }

  public stack(name: string): StackTemplate {
    const stack = this.stacks.get(name);
    if (stack === undefined) {
      throw new Error(`No stack ${name}; have ${[...this.stacks.keys()].join(', ')}`);
    }
    return stack;
  }

  /** Every resource of a type in every stack (or in one), resolved. */
  public resources(type: string, stackName?: string): ResolvedResource[] {
    const found: ResolvedResource[] = [];
    for (const stack of this.stacks.values()) {
      if (stackName !== undefined && stack.stackName !== stackName) {
        continue;
      }
      for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
        if (resource.Type === type) {
          found.push({
            stackName: stack.stackName,
            logicalId,
            type,
            properties: this.resolve(stack, resource.Properties ?? {}),
            arn: this.arnOf(stack, logicalId),
          });
        }
      }
    }
    return found;
  }

  /** The single resource of a type whose logical ID starts with `prefix`. */
  public resource(type: string, prefix: string, stackName?: string): ResolvedResource {
    const matches = this.resources(type, stackName).filter(r => r.logicalId.startsWith(prefix));
    if (matches.length !== 1) {
      throw new Error(`Expected one ${type} starting with ${prefix}, got ${matches.map(m => m.logicalId).join(', ') || 'none'}`);
    }
    return matches[0];
  }

  /** Resolves a value of a stack's template to literals. */
  public resolve(stack: StackTemplate, value: unknown): any {
    if (Array.isArray(value)) {
      return value.filter(v => !isNoValue(v)).map(v => this.resolve(stack, v));
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    const obj = value as Record<string, any>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = obj[fn];
      switch (fn) {
        case 'Ref': return this.ref(stack, arg);
        case 'Fn::GetAtt': return this.getAtt(stack, ...(typeof arg === 'string' ? arg.split(/\.(.*)/s).slice(0, 2) : arg) as [string, string]);
        case 'Fn::Join': {
          const [separator, parts] = arg;
          return (this.resolve(stack, parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub': return this.sub(stack, arg);
        case 'Fn::Select': return this.resolve(stack, arg[1])[Number(this.resolve(stack, arg[0]))];
        case 'Fn::Split': return String(this.resolve(stack, arg[1])).split(arg[0]);
        case 'Fn::GetAZs': return [`${stack.region}a`, `${stack.region}b`, `${stack.region}c`];
        case 'Fn::ImportValue': {
          const name = this.resolve(stack, arg);
          const exported = this.exports.get(name);
          if (exported === undefined) {
            throw new Error(`Unknown export ${name}`);
          }
          return this.resolve(exported.stack, exported.value);
        }
        default:
          break;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (!isNoValue(v)) {
        out[k] = this.resolve(stack, v);
      }
    }
    return out;
  }

  private sub(stack: StackTemplate, arg: unknown): string {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : arg as [string, Record<string, unknown>];
    return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      if (name in variables) {
        return String(this.resolve(stack, (variables as any)[name]));
      }
      const [logicalId, attribute] = name.split(/\.(.*)/s);
      return String(attribute === undefined ? this.ref(stack, logicalId) : this.getAtt(stack, logicalId, attribute));
    });
  }

  private ref(stack: StackTemplate, name: string): unknown {
    switch (name) {
      case 'AWS::Partition': return PARTITION;
      case 'AWS::AccountId': return stack.account;
      case 'AWS::Region': return stack.region;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return stack.stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${stack.region}:${stack.account}:stack/${stack.stackName}/1`;
      case 'AWS::NoValue': return undefined;
      default: break;
    }
    const parameter = stack.template.Parameters?.[name];
    if (parameter !== undefined) {
      return parameter.Default ?? `{parameter ${name}}`;
    }
    const resource = stack.template.Resources?.[name];
    if (resource === undefined) {
      throw new Error(`Ref to unknown ${name} in ${stack.stackName}`);
    }
    const physical = this.physicalName(stack, name);
    switch (resource.Type) {
      case 'AWS::KMS::Key': return keyId(`${stack.stackName}/${name}`);
      case 'AWS::KMS::ReplicaKey': return this.getAtt(stack, name, 'KeyId');
      case 'AWS::SecretsManager::Secret': return this.arnOf(stack, name);
      case 'AWS::SecretsManager::SecretTargetAttachment': return this.resolve(stack, resource.Properties.SecretId);
      case 'AWS::KMS::Alias': return this.resolve(stack, resource.Properties.AliasName);
      default: return physical;
    }
  }

  private physicalName(stack: StackTemplate, logicalId: string): string {
    const resource = stack.template.Resources[logicalId];
    const props = resource.Properties ?? {};
    const explicit = props.RoleName ?? props.BucketName ?? props.UserName ?? props.FunctionName;
    if (explicit !== undefined) {
      return this.resolve(stack, explicit);
    }
    const name = `${stack.stackName}-${logicalId}`;
    return resource.Type === 'AWS::S3::Bucket' ? name.toLowerCase().slice(0, 63) : name.slice(0, 64);
  }

  /** The ARN of a resource, or its physical name when its type has no ARN here. */
  public arnOf(stack: StackTemplate, logicalId: string): string {
    const resource = stack.template.Resources[logicalId];
    const { account, region } = stack;
    const name = this.physicalName(stack, logicalId);
    switch (resource.Type) {
      case 'AWS::KMS::Key': return `arn:aws:kms:${region}:${account}:key/${this.ref(stack, logicalId)}`;
      case 'AWS::KMS::ReplicaKey': return `arn:aws:kms:${region}:${account}:key/${this.getAtt(stack, logicalId, 'KeyId')}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${account}:role/${name}`;
      case 'AWS::IAM::User': return `arn:aws:iam::${account}:user/${name}`;
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
      case 'AWS::SecretsManager::Secret': return `arn:aws:secretsmanager:${region}:${account}:secret:${logicalId}-${hex(logicalId, 6)}`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${region}:${account}:function:${name}`;
      case 'AWS::RDS::DBInstance': return `arn:aws:rds:${region}:${account}:db:${name.toLowerCase()}`;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer': return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${logicalId.slice(0, 20)}/${hex(logicalId, 16)}`;
      default: return name;
    }
  }

  private getAtt(stack: StackTemplate, logicalId: string, attribute: string): unknown {
    const resource = stack.template.Resources?.[logicalId];
    if (resource === undefined) {
      throw new Error(`GetAtt on unknown ${logicalId} in ${stack.stackName}`);
    }
    if (resource.Type === 'Custom::CrossRegionExportReader') {
      const exported = this.ssmExports.get(attribute);
      if (exported === undefined) {
        throw new Error(`Unknown cross-Region export ${attribute}`);
      }
      return this.resolve(exported.stack, exported.value);
    }
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::KMS::Key.KeyId': return this.ref(stack, logicalId);
      case 'AWS::KMS::ReplicaKey.KeyId': {
        // A replica shares its primary's key ID.
        const primary = this.resolve(stack, resource.Properties.PrimaryKeyArn) as string;
        return primary.split('/').pop();
      }
      case 'AWS::IAM::Role.RoleId': return `AROA${hex(logicalId, 16).toUpperCase()}`;
      case 'AWS::S3::Bucket.DomainName': return `${this.physicalName(stack, logicalId)}.s3.amazonaws.com`;
      case 'AWS::S3::Bucket.RegionalDomainName': return `${this.physicalName(stack, logicalId)}.s3.${stack.region}.amazonaws.com`;
      case 'AWS::RDS::DBInstance.DbiResourceId': return `db-${hex(logicalId, 26).toUpperCase()}`;
      case 'AWS::RDS::DBInstance.Endpoint.Port': return '5432';
      case 'AWS::RDS::DBInstance.Endpoint.Address': return `${logicalId.toLowerCase()}.rds.amazonaws.com`;
      case 'AWS::RDS::DBInstance.MasterUserSecret.SecretArn':
        return `arn:aws:secretsmanager:${stack.region}:${stack.account}:secret:rds!db-${hex(logicalId, 8)}-AbCdEf`;
      default: break;
    }
    if (attribute === 'Arn') {
      return this.arnOf(stack, logicalId);
    }
    return `${this.physicalName(stack, logicalId)}.${attribute}`;
  }
}

function isNoValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as any).Ref === 'AWS::NoValue';
}

/** The stack name of a CDK stack, as the resolver knows it. */
export function nameOf(stack: Stack): string {
  return stack.stackName;
}
