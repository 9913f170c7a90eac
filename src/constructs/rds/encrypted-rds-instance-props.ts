import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';

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
 *   `OptionGroup`), MariaDB before 10.5 (no `require_secure_transport`), unknown engines, and an
 *   engine without a version (`rds.DatabaseInstanceEngine.POSTGRES`, `MYSQL`, ...) unless
 *   `parameterGroup` is given: the TLS parameter group is made for one engine version family.
 * - `storageEncrypted`: `false` refused. Default: `true`.
 * - `storageEncryptionKey`: must be a `kms.IKey`; an AWS managed key (`alias/aws/rds`) is refused.
 *   Default: a `CmkWithPolicy` created for the instance (`encryptionKey`). RDS cannot re-key a
 *   database: another key later (the default one to yours, or back) makes CloudFormation create a
 *   new, empty database. Move the data with a snapshot copy under the new key (`EncryptedSnapshotCopy`).
 * - `performanceInsightEncryptionKey`: an AWS managed key refused. Default: the storage key, when
 *   Performance Insights is on.
 * - `enablePerformanceInsights`: `false` together with `performanceInsightRetention` or
 *   `performanceInsightEncryptionKey` refused.
 * - `publiclyAccessible`: `true` refused. Default: `false`.
 * - `vpcSubnets`: a selection that picks a public subnet refused. Default: the VPC's private
 *   subnets with egress if it has some, else its isolated subnets.
 * - `parameterGroup`: an imported group (the TLS parameter cannot be added to it), or one that sets
 *   the TLS parameter off, refused. Default: a parameter group with `rds.force_ssl=1` (PostgreSQL,
 *   SQL Server) or `require_secure_transport=ON` (MySQL, MariaDB); a group you pass gets it added.
 * - `port`: default the engine's port plus 10000 (15432, 13306, 11433). `Port` is fixed when the
 *   database is created: a new value later makes CloudFormation create a new database.
 * - `multiAz`: default `true` (aws-cdk-lib's is `false`), except SQL Server Express (`sqlserver-ex`)
 *   and SQL Server Web before 2022 16.00.4215.2, which have no Multi-AZ: default `false` there, and
 *   `true` refused.
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
