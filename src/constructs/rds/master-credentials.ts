import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EncryptedRdsInstanceProps } from './encrypted-rds-instance-props';
import { reachSecretsManager } from './secrets-manager-endpoint';
import { acknowledgeOnResource, inCompliancePacks } from '../private/checker-acknowledgements';
import { RotatingSecret } from '../secrets/rotating-secret';

/** The master credentials' secret, and the security group its rotation function runs in. */
export interface RotatingMasterCredentials {
  readonly secret: RotatingSecret;
  readonly rotationSecurityGroup: ec2.SecurityGroup;
}

/**
 * Credentials: generated into a secret that Secrets Manager rotates from inside the VPC.
 */
export function rotatingMasterCredentials(
  scope: Construct, id: string, props: EncryptedRdsInstanceProps, key: kms.IKey, subnets: ec2.SubnetSelection, username: string,
): RotatingMasterCredentials {
  const rotationSecurityGroup = new ec2.SecurityGroup(scope, `${id}RotationSecurityGroup`, {
    vpc: props.vpc, description: `Rotation of the credentials of ${id}`, allowAllOutbound: true,
  });
  // The rotation function calls Secrets Manager: without a NAT, it needs an interface endpoint.
  reachSecretsManager(scope, props.vpc, subnets, rotationSecurityGroup);
  const secret = new RotatingSecret(scope, `${id}Credentials`, {
    description: `Master credentials of database ${id}`,
    encryptionKey: key,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ username }),
      generateStringKey: 'password',
      excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
      passwordLength: 32,
    },
    hostedRotation: hostedRotationFor(props.engine.engineType, { vpc: props.vpc, vpcSubnets: subnets, securityGroups: [rotationSecurityGroup] }),
  });
  return { secret, rotationSecurityGroup };
}

/**
 * Lets the rotation function reach the database's port. A literal port makes a rule that every
 * checker reads; a port known only at deploy time makes the checkers' port rules fail to resolve
 * it, although the source is a security group, not an address range: that is acknowledged.
 */
export function allowRotationToDatabase(database: rds.DatabaseInstance, rotation: ec2.SecurityGroup, port: number): void {
  if (!Token.isUnresolved(port)) {
    database.connections.allowFrom(rotation, ec2.Port.tcp(port), 'Secrets Manager rotation');
    return;
  }
  const stack = Stack.of(database);
  const before = new Set(stack.node.findAll());
  database.connections.allowDefaultPortFrom(rotation, 'Secrets Manager rotation');
  for (const ingress of stack.node.findAll().filter(c => !before.has(c) && c instanceof ec2.CfnSecurityGroupIngress)) {
    acknowledgeOnResource(ingress as ec2.CfnSecurityGroupIngress, [...inCompliancePacks('EC2RestrictedCommonPorts'), ...inCompliancePacks('EC2RestrictedSSH')],
      'The source of this rule is a security group (the rotation function\'s), not an address range, so it opens no port to the network; '
      + 'the port is the database\'s, known only at deploy time, which the checker cannot resolve.');
  }
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
