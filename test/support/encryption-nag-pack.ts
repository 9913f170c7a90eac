/**
 * The cdk-nag v3 rules that match the gate's (S3 default encryption with KMS and TLS-only
 * requests, EBS volume encryption for volumes, instances, launch configurations and Auto Scaling
 * groups, RDS storage encryption), as one NagPack: what a user of cdk-nag would run for the same
 * questions.
 */
import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, rules } from 'cdk-nag';

export class EncryptionNagPack extends NagPack {
  public readonly name = 'EncryptionNagPack';

  /**
   * @param level the level of every rule
   * @param inTransit also run S3BucketSSLRequestsOnly, which matches our TLS-only bucket rule
   */
  constructor(private readonly level: NagMessageLevel = NagMessageLevel.ERROR, private readonly inTransit = true) {
    super();
    this.packName = 'EncryptionNagPack';
  }

  protected checkResource(node: CfnResource): void {
    const level = this.level;
    this.applyRule({ info: 'S3 default encryption with KMS.', explanation: 'Bench.', level, rule: rules.s3.S3DefaultEncryptionKMS, node });
    this.applyRule({ info: 'EBS volumes encrypted.', explanation: 'Bench.', level, rule: rules.ec2.EC2EBSVolumeEncrypted, node });
    this.applyRule({ info: 'RDS storage encrypted.', explanation: 'Bench.', level, rule: rules.rds.RDSStorageEncrypted, node });
    if (this.inTransit) {
      this.applyRule({ info: 'S3 requests over TLS only.', explanation: 'Bench.', level, rule: rules.s3.S3BucketSSLRequestsOnly, node });
    }
  }
}
