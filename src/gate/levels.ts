/**
 * How a finding is reported.
 */
export enum FindingLevel {
  /** Fails synthesis unless acknowledged. */
  ERROR = 'error',
  /** Reported as a warning; synthesis goes on (`cdk synth --strict` fails on it). */
  WARNING = 'warning',
  /** Reported for information only. */
  INFO = 'info',
}

/**
 * The AWS service a rule belongs to; used to select rules.
 */
export enum RuleService {
  /** Amazon S3. */
  S3 = 'S3',
  /** Amazon EBS volumes, and the EC2 and Auto Scaling resources that create them. */
  EBS = 'EBS',
  /** Amazon RDS and Aurora. */
  RDS = 'RDS',
  /** AWS KMS keys and multi-Region replica keys. */
  KMS = 'KMS',
  /** AWS Secrets Manager secrets. */
  SECRETS_MANAGER = 'SM',
  /** Elastic Load Balancing (v2) listeners and their certificates. */
  ELB = 'ELB',
  /** Amazon DynamoDB tables and global tables. */
  DYNAMODB = 'DDB',
  /** Amazon EFS file systems. */
  EFS = 'EFS',
  /** Amazon CloudFront distributions. */
  CLOUDFRONT = 'CF',
  /** Amazon API Gateway (REST and HTTP APIs, their custom domains and stages). */
  API_GATEWAY = 'APIGW',
  /** AWS Systems Manager Parameter Store parameters. */
  SSM = 'SSM',
}
