// The public API, name by name: what is exported here is what semver (and jsii) lock in.

// The gate's vocabulary
export { FindingLevel, RuleService } from './gate/levels';
export { EncryptionGateOptions } from './gate/options';
export { Finding, FindingKind } from './gate/finding';
export { RuleInfo } from './gate/rule-info';
export { RuleCatalogue } from './rules/catalogue';

// The gate's front ends
export { EnforceEncryption } from './front-ends/enforce-encryption';
export { EncryptionChecks } from './front-ends/encryption-checks';
export { EncryptionGate } from './front-ends/encryption-gate';

// Constructs
export { KeyPolicyOptions } from './constructs/kms/key-policy';
export { CmkWithPolicy, CmkWithPolicyProps } from './constructs/kms/cmk-with-policy';
export { AddReplicaOptions, ReplicaKey, ReplicaKeyOptions, ReplicaKeyProps } from './constructs/kms/replica-key';
export { MultiRegionKey, MultiRegionKeyProps } from './constructs/kms/multi-region-key';
export { EnvelopeEncryption, EnvelopeGrantOptions } from './constructs/kms/envelope-encryption';
export { EncryptedBucket } from './constructs/s3/encrypted-bucket';
export { EncryptedBucketProps, BucketEncryptionChoice } from './constructs/s3/encrypted-bucket-props';
export { AccessLogBucket, AccessLogBucketProps } from './constructs/s3/access-log-bucket';
export { RotatingSecret, RotatingSecretProps } from './constructs/secrets/rotating-secret';
export { EncryptedRdsInstance } from './constructs/rds/encrypted-rds-instance';
export { EncryptedRdsInstanceProps, EncryptedReadReplicaOptions } from './constructs/rds/encrypted-rds-instance-props';
export { AcmFrontedAlb } from './constructs/elb/acm-fronted-alb';
export { AcmFrontedAlbProps } from './constructs/elb/acm-fronted-alb-props';
export { SecureStringParameter } from './constructs/ssm/secure-string-parameter';
export { SecureStringParameterProps } from './constructs/ssm/secure-string-parameter-props';
export { SecureStringValue, GeneratedValueOptions, SecretValueOptions } from './constructs/ssm/secure-string-value';
export { EbsEncryptionByDefault, EbsEncryptionByDefaultProps } from './constructs/ec2/ebs-encryption-by-default';
export { EncryptedSnapshotCopy } from './constructs/snapshots/encrypted-snapshot-copy';
export { EncryptedSnapshotCopyProps } from './constructs/snapshots/encrypted-snapshot-copy-props';
export { SnapshotSource, SnapshotKind } from './constructs/snapshots/snapshot-source';
