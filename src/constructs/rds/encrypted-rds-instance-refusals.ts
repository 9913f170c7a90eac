import { Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { EncryptedRdsInstanceProps } from './encrypted-rds-instance-props';
import { whyNoMultiAz } from './engine-defaults';
import { defaultSubnets, describeSelection, selectsPublicSubnets } from './subnet-selection';
import { parametersOf } from './tls-parameter-group';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { tlsParameterOf } from '../../aws/rds-tls-parameters';
import { parameterGroupFamilyOf } from '../../private/cdk-internals';
import { validationError } from '../../private/errors';
import { keyOfOtherRegion } from '../kms/key-regions';

/**
 * Throws, naming the prop and the fix, for props that would weaken the instance (see
 * `EncryptedRdsInstanceProps`), or an engine whose TLS this construct cannot force.
 */
export function refuseWeakenings(scope: Construct, id: string, props: EncryptedRdsInstanceProps, tls: ReturnType<typeof tlsParameterOf>): void {
  const error = (message: string) => validationError('WeakenedEncryptedRdsInstance', `EncryptedRdsInstance "${id}": ${message}`, scope);
  const engine = props.engine.engineType;
  if (tls === 'oracle') {
    throw error(`engine ${engine} is refused for now: TLS on Oracle needs an option group with the SSL option, its own port and `
      + 'certificates, which this construct does not build yet. Use rds.DatabaseInstance with an OptionGroup that sets the SSL option.');
  }
  if (tls === undefined) {
    throw error(`engine ${engine} is not one this construct knows how to force TLS on (PostgreSQL, MySQL, MariaDB, SQL Server).`);
  }
  if (props.parameterGroup === undefined && props.engine.parameterGroupFamily === undefined) {
    throw error(`engine ${engine} has no version, but the parameter group that forces TLS (${tls.name}=${tls.value}) is made for one engine `
      + `version family, so the engine needs a version. Give it one, for example ${versionedEngineExample(engine)}.`);
  }
  const noMultiAz = whyNoMultiAz(engine, props.engine.engineVersion?.fullVersion);
  if (props.multiAz === true && noMultiAz !== undefined) {
    throw error(`multiAz is true, but ${noMultiAz}, so CreateDBInstance would fail. `
      + 'Leave multiAz unset (single-AZ there), or choose SQL Server Standard or Enterprise, or Web 2022 16.00.4215.2 or later, for Multi-AZ.');
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
    const otherRegion = key === undefined ? undefined : keyOfOtherRegion(prop, key as kms.IKey, 'the database', Stack.of(scope).region);
    if (otherRegion !== undefined) {
      throw error(otherRegion);
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
  const [family, wanted] = [group === undefined ? undefined : parameterGroupFamilyOf(group), props.engine.parameterGroupFamily];
  if (family !== undefined && wanted !== undefined && family !== wanted) {
    throw error(`parameterGroup is of family ${family}, but the engine's is ${wanted}: RDS refuses a parameter group of another family. `
      + `Make the group with the instance's engine (rds.ParameterGroup's engine prop), or leave parameterGroup unset (a TLS group of ${wanted} is made).`);
  }
  const current = group === undefined ? undefined : parametersOf(group as rds.ParameterGroup)[tls.name];
  if (current !== undefined && !tls.onValues.includes(String(current).toLowerCase())) {
    throw error(`parameterGroup sets ${tls.name} to "${current}", which lets clients connect without TLS. Remove it: ${tls.name}=${tls.value} is set.`);
  }
}

/** How to write a versioned engine of this type (for the refusal of a version-less one). */
function versionedEngineExample(engineType: string): string {
  const [factory, version] = engineType === 'mysql' ? ['mysql', 'MysqlEngineVersion.VER_8_0']
    : engineType === 'mariadb' ? ['mariaDb', 'MariaDbEngineVersion.VER_10_11']
      : engineType.startsWith('sqlserver-') ? [`sqlServer${engineType.charAt(10).toUpperCase()}${engineType.slice(11)}`, 'SqlServerEngineVersion.VER_16']
        : ['postgres', 'PostgresEngineVersion.VER_16'];
  return `rds.DatabaseInstanceEngine.${factory}({ version: rds.${version} })`;
}

/** Whether a dotted version (`10.4.34`) is below `minimum` (`[10, 5]`); a missing part counts as 0. */
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
