import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { tlsParameterOf } from '../../aws/rds-tls-parameters';
import { assertCdkVersion, installedCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { allowUseThroughService } from '../kms/key-grants';
import { acknowledgeOnResource, inCompliancePacks } from '../private/checker-acknowledgements';
import { RotatingSecret } from '../secrets/rotating-secret';

/**
 * Properties of an `EncryptedRdsInstance`: those of `rds.DatabaseInstance`, plus `masterUsername`.
 *
 * Some inherited properties are refused, or have another default here, which their own
 * (aws-cdk-lib's) documentation cannot say. A refused value is an error at construction that names
 * the prop and the fix.
 *
 * - `credentials`: **refused, whatever its value**; the master password is generated into a
 *   `RotatingSecret` and rotated (or managed by RDS with `manageMasterUserPassword: true`). Choose the
 *   user name with `masterUsername`.
 * - `engine`: PostgreSQL, MySQL, MariaDB 10.5 or later, SQL Server. Refused: Oracle (for now: TLS
 *   there needs an option group with the SSL option; use `rds.DatabaseInstance` with such an
 *   `OptionGroup`), MariaDB before 10.5 (no `require_secure_transport`), unknown engines.
 * - `storageEncrypted`: `false` refused. Default: `true`.
 * - `storageEncryptionKey`: must be a `kms.IKey`; an AWS managed key (`alias/aws/rds`) is refused.
 *   Default: a `CmkWithPolicy` created for the instance (`encryptionKey`).
 * - `performanceInsightEncryptionKey`: an AWS managed key refused. Default: the storage key, when
 *   Performance Insights is on.
 * - `enablePerformanceInsights`: `false` together with `performanceInsightRetention` or
 *   `performanceInsightEncryptionKey` refused.
 * - `publiclyAccessible`: `true` refused. Default: `false`.
 * - `vpcSubnets`: a selection that picks any public subnet refused. Default: the VPC's private
 *   subnets with egress if it has any, else its isolated subnets.
 * - `parameterGroup`: an imported group (the TLS parameter cannot be added to it), or one that sets
 *   the TLS parameter off, refused. Default: a parameter group with `rds.force_ssl=1` (PostgreSQL,
 *   SQL Server) or `require_secure_transport=ON` (MySQL, MariaDB); a group you pass gets it added.
 * - `deletionProtection`: default `true`. `caCertificate`: default `CaCertificate.RDS_CA_RSA2048_G1`.
 *   `removalPolicy`: default `RETAIN` (aws-cdk-lib's is `SNAPSHOT`).
 */
export interface EncryptedRdsInstanceProps extends rds.DatabaseInstanceProps {
  /**
   * The master user name of the generated credentials. It replaces `credentials`, which is refused.
   *
   * @default - the engine's default user name (`postgres`, `admin`)
   */
  readonly masterUsername?: string;
}

/**
 * Options for a read replica of an `EncryptedRdsInstance`.
 */
export interface EncryptedReadReplicaOptions {
  /** The instance type of the replica. */
  readonly instanceType: ec2.InstanceType;

  /**
   * Where the replica is placed.
   *
   * @default - the source's VPC subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Place a standby of the replica in another Availability Zone.
   *
   * @default true
   */
  readonly multiAz?: boolean;
}

/** What a non-default port is added to the engine's default port: 15432, 13306, 11433. */
const PORT_OFFSET = 10000;

/** The engine's default port, and every log type it can export to CloudWatch Logs. */
function engineDefaults(engineType: string): { port: number; logExports: string[] } {
  const e = engineType.toLowerCase();
  if (e === 'postgres') {
    return { port: 5432, logExports: ['postgresql', 'upgrade'] };
  }
  if (e === 'mysql' || e === 'mariadb') {
    return { port: 3306, logExports: ['audit', 'error', 'general', 'slowquery'] };
  }
  // SQL Server Express has no SQL Server Agent, so it has no agent log to export.
  return { port: 1433, logExports: e === 'sqlserver-ex' ? ['error'] : ['agent', 'error'] };
}

/** Hosted single-user rotation of each engine family. */
function hostedRotationFor(engine: string, options: secretsmanager.SingleUserHostedRotationOptions): secretsmanager.HostedRotation {
  const e = engine.toLowerCase();
  if (e === 'postgres') {
    return secretsmanager.HostedRotation.postgreSqlSingleUser(options);
  }
  if (e === 'mysql') {
    return secretsmanager.HostedRotation.mysqlSingleUser(options);
  }
  if (e === 'mariadb') {
    return secretsmanager.HostedRotation.mariaDbSingleUser(options);
  }
  return secretsmanager.HostedRotation.sqlServerSingleUser(options);
}

/**
 * An RDS DB instance encrypted at rest with a customer managed key, with TLS forced in the engine
 * (`rds.force_ssl=1` for PostgreSQL and SQL Server, `require_secure_transport=ON` for MySQL and
 * MariaDB, through a parameter group), master credentials generated into a `RotatingSecret` with the
 * engine's hosted single-user rotation in the database's VPC, deletion protection, the current CA,
 * private subnets, and retained on removal. It is also, unless its props say otherwise, Multi-AZ
 * (`multiAz: false` to save the standby's cost), on a non-default port (the engine's default plus
 * 10000: 15432 for PostgreSQL, 13306 for MySQL and MariaDB, 11433 for SQL Server; give `port` to
 * choose, for example the engine's default to keep an existing database's port) and exports every
 * log type of its engine to CloudWatch Logs (`cloudwatchLogsExports` to choose).
 *
 * With `manageMasterUserPassword: true` (a prop of `rds.DatabaseInstanceProps`), RDS generates the
 * master password into a secret it owns, encrypted with this instance's key, and rotates it itself:
 * no rotation function, endpoint or security group in the VPC. Pick the default `RotatingSecret` for
 * a rotation interval of your own, `host`/`port`/`engine` in the secret, or other accounts reading it.
 *
 * It is an `rds.DatabaseInstance`. Oracle is refused for now (TLS there needs an SSL option group
 * with its own port and certificates); unknown engines are refused.
 *
 * @example
 * import { EncryptedRdsInstance } from 'cdk-encryption-guard';
 *
 * new EncryptedRdsInstance(this, 'Db', {
 *   engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
 *   vpc,
 * });
 */
export class EncryptedRdsInstance extends rds.DatabaseInstance {
  /** The key that encrypts storage, Performance Insights and the credentials' secret. */
  public readonly encryptionKey: kms.IKey;
  /**
   * The secret that holds the master credentials, rotated by Secrets Manager.
   *
   * @default - none when RDS manages the master password (`manageMasterUserPassword`); see `secret`
   */
  public readonly credentialsSecret?: RotatingSecret;
  private readonly subnets?: ec2.SubnetSelection;
  private readonly caCertificateChoice: rds.CaCertificate;
  private readonly portNumber: number;
  /** The engine's default port (which a replica must not listen on either). */
  private readonly enginePort: number;
  private readonly logExports?: string[];

  constructor(scope: Construct, id: string, props: EncryptedRdsInstanceProps) {
    assertCdkVersion('constructs');
    const engineType = props.engine.engineType;
    const tls = tlsParameterOf(engineType);
    refuse(scope, id, props, tls);
    const parameter = tls as Exclude<typeof tls, 'oracle' | undefined>;
    const key = (props.storageEncryptionKey as kms.IKey | undefined) ?? new CmkWithPolicy(scope, `${id}Key`, { description: `Encrypts database ${id}` });
    // Private subnets with egress if the VPC has them, else isolated ones (the usual database VPC):
    // the L2's subnet group would ask for PRIVATE_WITH_EGRESS only and fail on an isolated VPC.
    const subnets = props.vpcSubnets ?? defaultSubnets(props.vpc);
    const username = props.masterUsername ?? props.engine.defaultUsername ?? 'admin';
    const rdsManaged = props.manageMasterUserPassword === true;

    let secret: RotatingSecret | undefined;
    let rotationSecurityGroup: ec2.SecurityGroup | undefined;
    if (!rdsManaged) {
      // Credentials: generated into a secret that Secrets Manager rotates from inside the VPC.
      rotationSecurityGroup = new ec2.SecurityGroup(scope, `${id}RotationSecurityGroup`, {
        vpc: props.vpc, description: `Rotation of the credentials of ${id}`, allowAllOutbound: true,
      });
      // The rotation function calls Secrets Manager: without a NAT, it needs an interface endpoint.
      reachSecretsManager(scope, props.vpc, subnets, rotationSecurityGroup);
      secret = new RotatingSecret(scope, `${id}Credentials`, {
        description: `Master credentials of database ${id}`,
        encryptionKey: key,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username }),
          generateStringKey: 'password',
          excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
          passwordLength: 32,
        },
        hostedRotation: hostedRotationFor(engineType, { vpc: props.vpc, vpcSubnets: subnets, securityGroups: [rotationSecurityGroup] }),
      });
    }

    const parameterGroup = props.parameterGroup
      ?? new rds.ParameterGroup(scope, `${id}Parameters`, { engine: props.engine, description: `TLS only for ${id}`, parameters: {} });
    if (parameterGroup instanceof rds.ParameterGroup) {
      parameterGroup.addParameter(parameter.name, parameter.value);
    }

    // Performance Insights: on when asked, or when a retention or key is given (as the L2 decides),
    // and then always with a customer managed key (never aws/rds).
    const insights = props.enablePerformanceInsights
      ?? (props.performanceInsightRetention !== undefined || props.performanceInsightEncryptionKey !== undefined ? true : undefined);
    const caCertificate = props.caCertificate ?? rds.CaCertificate.RDS_CA_RSA2048_G1;
    const defaults = engineDefaults(engineType);
    const port = props.port ?? defaults.port + PORT_OFFSET;
    const logExports = props.cloudwatchLogsExports ?? defaults.logExports;
    super(scope, id, {
      ...props,
      port,
      multiAz: props.multiAz ?? true,
      cloudwatchLogsExports: logExports,
      vpcSubnets: subnets,
      storageEncrypted: true,
      storageEncryptionKey: key,
      enablePerformanceInsights: insights,
      performanceInsightEncryptionKey: insights ? props.performanceInsightEncryptionKey ?? key : undefined,
      credentials: secret !== undefined ? rds.Credentials.fromSecret(secret) : rds.Credentials.fromUsername(username, { encryptionKey: key }),
      manageMasterUserPassword: rdsManaged || undefined,
      parameterGroup,
      publiclyAccessible: false,
      deletionProtection: props.deletionProtection ?? true,
      caCertificate,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (rdsManaged && (this.node.defaultChild as rds.CfnDBInstance).manageMasterUserPassword !== true) {
      // Older aws-cdk-lib releases ignore the prop: the database would get a password we generated.
      throw validationError('ManagedMasterPasswordUnsupported',
        `manageMasterUserPassword is true, but the aws-cdk-lib in use (${installedCdkVersion() ?? 'unknown version'}) ignores it on `
        + 'rds.DatabaseInstance. Upgrade aws-cdk-lib, or leave manageMasterUserPassword unset to get rotating credentials in a RotatingSecret.', this);
    }
    this.encryptionKey = key;
    this.credentialsSecret = secret;
    this.subnets = subnets;
    this.caCertificateChoice = caCertificate;
    this.portNumber = port;
    this.enginePort = engineDefaults(engineType).port;
    this.logExports = logExports;
    // The deploying role's CreateDBInstance makes RDS create a grant on the key for it (and describe
    // the key); with RDS-managed credentials, RDS creates the secret through Secrets Manager.
    allowUseThroughService(key, 'rds', ['kms:CreateGrant', 'kms:DescribeKey']);
    if (rdsManaged) {
      allowUseThroughService(key, 'secretsmanager', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey']);
    }
    if (rotationSecurityGroup !== undefined) {
      this.allowRotation(rotationSecurityGroup, port);
    }
  }

  /**
   * Adds a read replica in the same Region. It is encrypted with the source's key and forced to TLS
   * by the source's parameter group: RDS gives a same-Region replica its source's encryption and,
   * when no parameter group is named, its source's parameter group (CreateDBInstanceReadReplica
   * does not accept one for a same-Region MySQL replica). It uses the source's CA. (A cross-Region
   * replica needs a key in its Region: create an `rds.DatabaseInstanceReadReplica` there with a
   * `MultiRegionKey` replica and its own TLS parameter group.)
   */
  public addReadReplica(id: string, options: EncryptedReadReplicaOptions): rds.DatabaseInstanceReadReplica {
    const replica = new rds.DatabaseInstanceReadReplica(this, id, {
      sourceDatabaseInstance: this,
      instanceType: options.instanceType,
      // The source's port and log exports (RDS would give the replica the source's port anyway).
      port: this.portNumber,
      cloudwatchLogsExports: this.logExports,
      multiAz: options.multiAz ?? true,
      vpc: this.vpc,
      vpcSubnets: options.vpcSubnets ?? this.subnets,
      publiclyAccessible: false,
      deletionProtection: true,
      caCertificate: this.caCertificateChoice,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!Token.isUnresolved(this.portNumber) && this.portNumber !== this.enginePort) {
      // cdk-nag's RDS11 reads Engine, which CloudFormation takes from the source for a replica and
      // the template leaves out: it flags every replica, whatever its port.
      acknowledgeOnResource(replica.node.defaultChild as rds.CfnDBInstance, ['AwsSolutions-RDS11'],
        `A read replica has no Engine of its own (RDS takes the source's); it listens on port ${this.portNumber}, the source's non-default port.`);
    }
    return replica;
  }

  /**
   * Lets the rotation function reach the database's port. A literal port makes a rule that every
   * checker reads; a port known only at deploy time makes the checkers' port rules fail to resolve
   * it, although the source is a security group, not an address range: that is acknowledged.
   */
  private allowRotation(rotation: ec2.SecurityGroup, port: number): void {
    if (!Token.isUnresolved(port)) {
      this.connections.allowFrom(rotation, ec2.Port.tcp(port), 'Secrets Manager rotation');
      return;
    }
    const stack = Stack.of(this);
    const before = new Set(stack.node.findAll());
    this.connections.allowDefaultPortFrom(rotation, 'Secrets Manager rotation');
    for (const ingress of stack.node.findAll().filter(c => !before.has(c) && c instanceof ec2.CfnSecurityGroupIngress)) {
      acknowledgeOnResource(ingress as ec2.CfnSecurityGroupIngress, [...inCompliancePacks('EC2RestrictedCommonPorts'), ...inCompliancePacks('EC2RestrictedSSH')],
        'The source of this rule is a security group (the rotation function\'s), not an address range, so it opens no port to the network; '
        + 'the port is the database\'s, known only at deploy time, which the checker cannot resolve.');
    }
  }
}

/** Secrets Manager endpoints this library added, by VPC: one per VPC is enough. */
const ENDPOINTS = new WeakMap<ec2.IVpc, ec2.InterfaceVpcEndpoint>();

/**
 * A rotation function in isolated subnets cannot reach Secrets Manager through a NAT: rotation
 * would deploy and then fail on its first run. Give the VPC an interface endpoint in those subnets
 * (once per VPC, unless it has one) and let the rotation function use it.
 */
function reachSecretsManager(scope: Construct, vpc: ec2.IVpc, subnets: ec2.SubnetSelection | undefined, rotation: ec2.SecurityGroup): void {
  const selected = vpc.selectSubnets(subnets).subnets;
  const isolated = new Set(vpc.isolatedSubnets);
  if (selected.length === 0 || !selected.every(s => isolated.has(s))) {
    return;
  }
  let endpoint = ENDPOINTS.get(vpc) ?? existingSecretsManagerEndpoint(scope, vpc);
  if (endpoint === undefined) {
    endpoint = new ec2.InterfaceVpcEndpoint(Stack.of(scope), `${vpc.node.id}SecretsManagerEndpoint`, {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, subnets, privateDnsEnabled: true, open: false,
    });
  }
  ENDPOINTS.set(vpc, endpoint);
  endpoint.connections.allowDefaultPortFrom(rotation, 'Secrets Manager rotation');
}

/**
 * A Secrets Manager interface endpoint the VPC already has, found by its service name (whatever
 * its construct ID): a second one with private DNS would be rejected by EC2.
 */
function existingSecretsManagerEndpoint(scope: Construct, vpc: ec2.IVpc): ec2.InterfaceVpcEndpoint | undefined {
  const stack = Stack.of(scope);
  const vpcId = stack.resolve(vpc.vpcId);
  const service = `com.amazonaws.${stack.region}.secretsmanager`;
  const candidates = [...new Set([...vpc.node.findAll(), ...Stack.of(vpc).node.findAll()])];
  return candidates.find((c): c is ec2.InterfaceVpcEndpoint => {
    if (!(c instanceof ec2.InterfaceVpcEndpoint)) {
      return false;
    }
    const cfn = c.node.defaultChild as ec2.CfnVPCEndpoint;
    const name = String(stack.resolve(cfn.serviceName));
    return JSON.stringify(stack.resolve(cfn.vpcId)) === JSON.stringify(vpcId) && (name === service || name.endsWith('.secretsmanager'));
  });
}

/**
 * The parameters a parameter group will render. Binding creates the L1 group the instance would
 * create anyway when it binds, so reading it early changes nothing.
 */
function parametersOf(group: rds.ParameterGroup): Record<string, unknown> {
  group.bindToInstance({});
  const cfn = group.node.children.find((c): c is rds.CfnDBParameterGroup => c instanceof rds.CfnDBParameterGroup);
  return (cfn === undefined ? {} : Stack.of(group).resolve(cfn.parameters)) ?? {};
}

function refuse(scope: Construct, id: string, props: EncryptedRdsInstanceProps, tls: ReturnType<typeof tlsParameterOf>): void {
  const error = (message: string) => validationError('WeakenedEncryptedRdsInstance', `EncryptedRdsInstance "${id}": ${message}`, scope);
  const engine = props.engine.engineType;
  if (tls === 'oracle') {
    throw error(`engine ${engine} is refused for now: TLS on Oracle needs an option group with the SSL option, its own port and `
      + 'certificates, which this construct does not build yet. Use rds.DatabaseInstance with an OptionGroup that sets the SSL option.');
  }
  if (tls === undefined) {
    throw error(`engine ${engine} is not one this construct knows how to force TLS on (PostgreSQL, MySQL, MariaDB, SQL Server).`);
  }
  const given = props.storageEncryptionKey as Partial<kms.IKey> | undefined;
  if (given !== undefined && typeof given.grantDecrypt !== 'function') {
    throw error('storageEncryptionKey must be a kms.IKey (a key construct or kms.Key.fromKeyArn), so that the credentials secret can use it too.');
  }
  for (const [prop, key] of [['storageEncryptionKey', given], ['performanceInsightEncryptionKey', props.performanceInsightEncryptionKey]] as const) {
    if (key !== undefined && isAwsManagedKey(key as kms.IKey)) {
      throw error(`${prop} is the AWS managed key ${(key as kms.IKey & { aliasName?: string }).aliasName ?? (key as kms.IKey).keyArn}, whose use you cannot control or `
        + `limit: leave ${prop} unset (a customer managed key is created) or pass a customer managed key.`);
    }
  }
  const insightsSettings = props.performanceInsightRetention !== undefined || props.performanceInsightEncryptionKey !== undefined;
  if (props.enablePerformanceInsights === false && insightsSettings) {
    throw error('enablePerformanceInsights is false, but performanceInsightRetention or performanceInsightEncryptionKey is set: '
      + 'drop them, or turn Performance Insights on.');
  }
  const version = props.engine.engineVersion?.fullVersion;
  if (engine === 'mariadb' && version !== undefined && !Token.isUnresolved(version) && versionBelow(version, [10, 5])) {
    throw error(`engine mariadb ${version} has no require_secure_transport parameter (MariaDB 10.5 and later have it), so TLS cannot be `
      + 'forced: choose MariaDB 10.5 or later.');
  }
  if (props.storageEncrypted === false) {
    throw error('storageEncrypted is false: storage encryption can only be chosen at creation. Leave it unset.');
  }
  if (props.publiclyAccessible === true) {
    throw error('publiclyAccessible is true: the database must stay in private subnets. Reach it through the VPC.');
  }
  if (selectsPublicSubnets(props.vpc, props.vpcSubnets ?? defaultSubnets(props.vpc))) {
    throw error(`vpcSubnets ${describeSelection(props.vpcSubnets)} selects public subnets: the database and its rotation function must be in `
      + 'private or isolated subnets (a rotation function in a public subnet has no route to Secrets Manager). Select PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS subnets.');
  }
  if (props.credentials !== undefined) {
    throw error('credentials are refused: the master password is generated into a RotatingSecret and rotated (or managed by RDS with '
      + 'manageMasterUserPassword). Set masterUsername to choose the user name.');
  }
  const group = props.parameterGroup;
  if (group !== undefined && !(group instanceof rds.ParameterGroup)) {
    throw error(`parameterGroup is imported, so ${tls.name}=${tls.value} cannot be added to it. Pass an rds.ParameterGroup defined in this app.`);
  }
  const current = group === undefined ? undefined : parametersOf(group as rds.ParameterGroup)[tls.name];
  if (current !== undefined && !tls.onValues.includes(String(current).toLowerCase())) {
    throw error(`parameterGroup sets ${tls.name} to "${current}", which lets clients connect without TLS. Remove it: ${tls.name}=${tls.value} is set.`);
  }
}

/** The VPC's own default choice for private resources: with egress if it has such subnets, else isolated. */
function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  const withEgress = vpc.privateSubnets.length > 0 || vpc.isolatedSubnets.length === 0;
  return { subnetType: withEgress ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED };
}

/** Whether the selection picks any public subnet of the VPC (by type, group name or list). */
function selectsPublicSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): boolean {
  if (selection?.subnetType === ec2.SubnetType.PUBLIC) {
    return true;
  }
  const publicIds = new Set(vpc.publicSubnets.map(s => s.subnetId));
  try {
    return vpc.selectSubnets(selection).subnets.some(s => publicIds.has(s.subnetId));
  } catch {
    // A selection the VPC cannot satisfy is the L2's to report.
    return false;
  }
}

function describeSelection(selection: ec2.SubnetSelection | undefined): string {
  if (selection === undefined) {
    return '(the default)';
  }
  return selection.subnetGroupName !== undefined ? `(subnetGroupName "${selection.subnetGroupName}")`
    : selection.subnets !== undefined ? '(subnets)' : `(${JSON.stringify(selection.subnetType ?? selection)})`;
}

function versionBelow(version: string, minimum: number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < minimum.length; i++) {
    const part = parts[i] ?? 0;
    if (part !== minimum[i]) {
      return part < minimum[i];
    }
  }
  return false;
}
