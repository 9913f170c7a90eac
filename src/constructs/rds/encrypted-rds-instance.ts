import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { tlsParameterOf } from '../../aws/rds-tls-parameters';
import { validationError } from '../../private/errors';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { RotatingSecret } from '../secrets/rotating-secret';

/**
 * Properties of an `EncryptedRdsInstance`: those of `rds.DatabaseInstance`, except that the ones
 * that would weaken it are refused.
 */
export interface EncryptedRdsInstanceProps extends rds.DatabaseInstanceProps {
  /**
   * The master user name of the generated credentials.
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
 * private subnets, and retained on removal.
 *
 * It is an `rds.DatabaseInstance`. Oracle is refused for now (TLS there needs an SSL option group
 * with its own port and certificates); unknown engines are refused.
 *
 * @example
 * new EncryptedRdsInstance(this, 'Db', { engine: rds.DatabaseInstanceEngine.postgres({ version }), vpc });
 */
export class EncryptedRdsInstance extends rds.DatabaseInstance {
  /** The key that encrypts storage, Performance Insights and the credentials' secret. */
  public readonly encryptionKey: kms.IKey;
  /** The secret that holds the master credentials, rotated by Secrets Manager. */
  public readonly credentialsSecret: RotatingSecret;
  private readonly tlsParameterGroup: rds.IParameterGroup;
  private readonly subnets?: ec2.SubnetSelection;

  constructor(scope: Construct, id: string, props: EncryptedRdsInstanceProps) {
    const engineType = props.engine.engineType;
    const tls = tlsParameterOf(engineType);
    refuse(scope, id, props, tls);
    const parameter = tls as Exclude<typeof tls, 'oracle' | undefined>;
    const key = (props.storageEncryptionKey as kms.IKey | undefined) ?? new CmkWithPolicy(scope, `${id}Key`, { description: `Encrypts database ${id}` });

    // Credentials: generated into a secret that Secrets Manager rotates from inside the VPC.
    const rotationSecurityGroup = new ec2.SecurityGroup(scope, `${id}RotationSecurityGroup`, {
      vpc: props.vpc, description: `Rotation of the credentials of ${id}`, allowAllOutbound: true,
    });
    const subnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    // The rotation function calls Secrets Manager: without a NAT, it needs an interface endpoint.
    reachSecretsManager(scope, props.vpc, subnets, rotationSecurityGroup);
    const secret = new RotatingSecret(scope, `${id}Credentials`, {
      description: `Master credentials of database ${id}`,
      encryptionKey: key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: props.masterUsername ?? props.engine.defaultUsername ?? 'admin' }),
        generateStringKey: 'password',
        excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
        passwordLength: 32,
      },
      hostedRotation: hostedRotationFor(engineType, { vpc: props.vpc, vpcSubnets: subnets, securityGroups: [rotationSecurityGroup] }),
    });

    const parameterGroup = props.parameterGroup
      ?? new rds.ParameterGroup(scope, `${id}Parameters`, { engine: props.engine, description: `TLS only for ${id}`, parameters: {} });
    if (parameterGroup instanceof rds.ParameterGroup) {
      parameterGroup.addParameter(parameter.name, parameter.value);
    }

    super(scope, id, {
      ...props,
      vpcSubnets: subnets,
      storageEncrypted: true,
      storageEncryptionKey: key,
      performanceInsightEncryptionKey: props.enablePerformanceInsights ? props.performanceInsightEncryptionKey ?? key : undefined,
      credentials: rds.Credentials.fromSecret(secret),
      parameterGroup,
      publiclyAccessible: false,
      deletionProtection: props.deletionProtection ?? true,
      caCertificate: props.caCertificate ?? rds.CaCertificate.RDS_CA_RSA2048_G1,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.encryptionKey = key;
    this.credentialsSecret = secret;
    this.tlsParameterGroup = parameterGroup;
    this.subnets = subnets;
    this.connections.allowDefaultPortFrom(rotationSecurityGroup, 'Secrets Manager rotation');
  }

  /**
   * Adds a read replica in the same Region, forced to TLS by the same parameter group. It is
   * encrypted with the source's key: RDS gives a same-Region replica its source's encryption, and
   * CloudFormation rejects `StorageEncrypted` on a replica. (A cross-Region replica needs a key in
   * its Region: create an `rds.DatabaseInstanceReadReplica` there with a `MultiRegionKey` replica.)
   */
  public addReadReplica(id: string, options: EncryptedReadReplicaOptions): rds.DatabaseInstanceReadReplica {
    return new rds.DatabaseInstanceReadReplica(this, id, {
      sourceDatabaseInstance: this,
      instanceType: options.instanceType,
      vpc: this.vpc,
      vpcSubnets: options.vpcSubnets ?? this.subnets,
      parameterGroup: this.tlsParameterGroup,
      publiclyAccessible: false,
      deletionProtection: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/** Secrets Manager endpoints this library added, by VPC: one per VPC is enough. */
const ENDPOINTS = new WeakMap<ec2.IVpc, ec2.InterfaceVpcEndpoint>();

/**
 * A rotation function in isolated subnets cannot reach Secrets Manager through a NAT: rotation
 * would deploy and then fail on its first run. Give the VPC an interface endpoint in those subnets
 * (once per VPC, unless it has one) and let the rotation function use it.
 */
function reachSecretsManager(scope: Construct, vpc: ec2.IVpc, subnets: ec2.SubnetSelection, rotation: ec2.SecurityGroup): void {
  const selected = vpc.selectSubnets(subnets).subnets;
  const isolated = new Set(vpc.isolatedSubnets);
  if (selected.length === 0 || !selected.every(s => isolated.has(s))) {
    return;
  }
  let endpoint = ENDPOINTS.get(vpc) ?? vpc.node.children.find((c): c is ec2.InterfaceVpcEndpoint =>
    c instanceof ec2.InterfaceVpcEndpoint && c.node.id.toLowerCase().includes('secretsmanager'));
  if (endpoint === undefined) {
    endpoint = new ec2.InterfaceVpcEndpoint(Stack.of(scope), `${vpc.node.id}SecretsManagerEndpoint`, {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, subnets, privateDnsEnabled: true, open: false,
    });
  }
  ENDPOINTS.set(vpc, endpoint);
  endpoint.connections.allowDefaultPortFrom(rotation, 'Secrets Manager rotation');
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
  if (props.storageEncrypted === false) {
    throw error('storageEncrypted is false: storage encryption can only be chosen at creation. Leave it unset.');
  }
  if (props.publiclyAccessible === true) {
    throw error('publiclyAccessible is true: the database must stay in private subnets. Reach it through the VPC.');
  }
  if (props.vpcSubnets?.subnetType === ec2.SubnetType.PUBLIC) {
    throw error('vpcSubnets selects public subnets: place the database in private or isolated subnets.');
  }
  if (props.credentials !== undefined) {
    throw error('credentials are refused: the master password is generated into a RotatingSecret and rotated. '
      + 'Set masterUsername to choose the user name.');
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
