import { ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { EncryptedRdsInstanceProps, EncryptedReadReplicaOptions } from './encrypted-rds-instance-props';
import { refuseWeakenings } from './encrypted-rds-instance-refusals';
import { engineDefaults, PORT_OFFSET, whyNoMultiAz } from './engine-defaults';
import { allowRotationToDatabase, rotatingMasterCredentials } from './master-credentials';
import { defaultSubnets } from './subnet-selection';
import { tlsParameterGroup } from './tls-parameter-group';
import { tlsParameterOf } from '../../aws/rds-tls-parameters';
import { assertCdkVersion, installedCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { allowUseThroughService, grantOnPolicyKey, underlyingKey } from '../kms/key-grants';
import { acknowledgeOnResource } from '../private/checker-acknowledgements';
import { RotatingSecret } from '../secrets/rotating-secret';

// The props live in their own file; they are exported from here too, where the construct's users
// have always imported them.
export { EncryptedRdsInstanceProps, EncryptedReadReplicaOptions } from './encrypted-rds-instance-props';

/**
 * An RDS DB instance encrypted at rest with a customer managed key, with TLS forced in the engine
 * (`rds.force_ssl=1` for PostgreSQL and SQL Server, `require_secure_transport=ON` for MySQL and
 * MariaDB, through a parameter group), master credentials generated into a `RotatingSecret` with the
 * engine's hosted single-user rotation in the database's VPC, deletion protection, the current CA,
 * private subnets, and retained on removal. It is also, unless its props say otherwise, Multi-AZ
 * (`multiAz: false` to save the standby's cost; SQL Server Express, and Web before 2022
 * 16.00.4215.2, which have no Multi-AZ, are single-AZ and refuse `multiAz: true`), on a non-default port (the engine's default plus
 * 10000: 15432 for PostgreSQL, 13306 for MySQL and MariaDB, 11433 for SQL Server; give `port` to
 * choose; the port is fixed at creation, so a new one later means a new database) and exports every
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
/** The read calls of the Performance Insights API (what the console's dashboard makes). */
const PERFORMANCE_INSIGHTS_READ = [
  'pi:DescribeDimensionKeys', 'pi:GetDimensionKeyDetails', 'pi:GetResourceMetadata', 'pi:GetResourceMetrics',
  'pi:ListAvailableResourceDimensions', 'pi:ListAvailableResourceMetrics',
];

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
  /** The key of Performance Insights, when it is on. */
  private readonly insightsKey?: kms.IKeyRef;

  constructor(scope: Construct, id: string, props: EncryptedRdsInstanceProps) {
    assertCdkVersion('constructs');
    const engineType = props.engine.engineType;
    const tls = tlsParameterOf(engineType);
    refuseWeakenings(scope, id, props, tls);
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
      ({ secret, rotationSecurityGroup } = rotatingMasterCredentials(scope, id, props, key, subnets, username));
    }

    const parameterGroup = tlsParameterGroup(scope, id, props, parameter);

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
      // SQL Server Express, and Web before 2022, have no Multi-AZ (CreateDBInstance would fail): single-AZ there.
      multiAz: props.multiAz ?? whyNoMultiAz(engineType, props.engine.engineVersion?.fullVersion) === undefined,
      cloudwatchLogsExports: logExports,
      vpcSubnets: subnets,
      storageEncrypted: true,
      storageEncryptionKey: key,
      enablePerformanceInsights: insights,
      performanceInsightEncryptionKey: insights ? props.performanceInsightEncryptionKey ?? key : undefined,
      // MasterUsername is read from the secret, as deployed databases of this construct have it:
      // writing it as itself instead would replace every one of them (it requires a replacement).
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
    this.insightsKey = insights ? props.performanceInsightEncryptionKey ?? key : undefined;
    if (isKey(this.insightsKey) && this.insightsKey !== key) {
      allowUseThroughService(this.insightsKey, 'rds', ['kms:CreateGrant', 'kms:DescribeKey']);
    }
    if (rdsManaged) {
      allowUseThroughService(key, 'secretsmanager', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey']);
    }
    if (rotationSecurityGroup !== undefined) {
      allowRotationToDatabase(this, rotationSecurityGroup, port);
    }
  }

  /**
   * Lets `grantee` read this database's Performance Insights: the read calls of the Performance
   * Insights API on its metrics, and `kms:Decrypt` and `kms:GenerateDataKey` on the Performance
   * Insights key only through RDS for this database's Performance Insights data (the encryption
   * context the RDS User Guide names). The key policy names the grantee (through a principal tag
   * for a role of another stack), since the keys of this library do not trust IAM. The grantee's
   * policy names this database's resource ID: a grantee of a stack this database's stack depends on
   * (the key's, when the key is in another stack) would make a dependency cycle, so grant to a role
   * of this stack or of a stack that deploys after it.
   */
  public grantPerformanceInsightsRead(grantee: iam.IGrantable): iam.Grant {
    if (this.insightsKey === undefined) {
      throw validationError('PerformanceInsightsOff', `grantPerformanceInsightsRead on ${this.node.path}: Performance Insights is off. `
        + 'Set enablePerformanceInsights: true (or performanceInsightRetention) first.', this);
    }
    const stack = Stack.of(this);
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: PERFORMANCE_INSIGHTS_READ,
      resourceArns: [stack.formatArn({ service: 'pi', resource: 'metrics', resourceName: `rds/${this.instanceResourceId}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
    });
    const piContext = { 'kms:EncryptionContext:aws:pi:service': 'rds', 'kms:EncryptionContext:service': 'pi' };
    const conditions = {
      'StringEquals': { 'kms:ViaService': `rds.${stack.region}.amazonaws.com` },
      'ForAnyValue:StringEquals': { ...piContext, 'kms:EncryptionContext:aws:rds:db-id': this.instanceResourceId },
    };
    const actions = ['kms:Decrypt', 'kms:GenerateDataKey'];
    if (isKey(this.insightsKey)) {
      // The database's ID only in the grantee's policy: in the key's, it would make a key of another
      // stack depend on the database's stack, which depends on the key (a cycle).
      const keySide = { 'StringEquals': conditions.StringEquals, 'ForAnyValue:StringEquals': piContext };
      grantOnPolicyKey(underlyingKey(this.insightsKey), grantee, actions, keySide, conditions);
    } else {
      // A bare key reference has no policy of ours to change: its own policy must let the grantee in.
      iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.insightsKey.keyRef.keyArn], conditions });
    }
    return grant;
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
}

/** Whether a key reference is a whole key (whose policy grants can change). */
function isKey(key: kms.IKeyRef | undefined): key is kms.IKey {
  return typeof (key as Partial<kms.IKey> | undefined)?.addToResourcePolicy === 'function';
}
