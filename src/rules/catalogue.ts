import { domainTlsPolicy } from './apigateway/ceg-apigw-1-domain-tls-policy';
import { defaultEndpoint } from './apigateway/ceg-apigw-2-default-endpoint';
import { cacheEncryption } from './apigateway/ceg-apigw-3-cache-encryption';
import { apiTlsPolicy } from './apigateway/ceg-apigw-4-api-tls-policy';
import { viewerHttps } from './cloudfront/ceg-cf-1-viewer-https';
import { viewerTlsPolicy } from './cloudfront/ceg-cf-2-viewer-tls-policy';
import { defaultCertificate } from './cloudfront/ceg-cf-3-default-certificate';
import { originTls } from './cloudfront/ceg-cf-4-origin-tls';
import { tableEncryption } from './dynamodb/ceg-ddb-1-table-encryption';
import { replicaKeys } from './dynamodb/ceg-ddb-2-replica-keys';
import { volumeEncrypted } from './ebs/ceg-ebs-1-volume-encrypted';
import { launchDefinitionVolumes } from './ebs/ceg-ebs-2-launch-definition-volumes';
import { instanceVolumes } from './ebs/ceg-ebs-3-instance-volumes';
import { autoScalingGroupVolumes } from './ebs/ceg-ebs-4-auto-scaling-group-volumes';
import { fileSystemEncrypted } from './efs/ceg-efs-1-file-system-encrypted';
import { tlsOnlyPolicy } from './efs/ceg-efs-2-tls-only-policy';
import { httpListenerRedirects } from './elb/ceg-elb-1-http-listener-redirects';
import { tlsListenerPolicy } from './elb/ceg-elb-2-tls-listener-policy';
import { acmCertificate } from './elb/ceg-elb-3-acm-certificate';
import { classicListenerTls } from './elb/ceg-elb-4-classic-listener-tls';
import { keyRotation } from './kms/ceg-kms-1-key-rotation';
import { keyPolicyPublicPrincipal } from './kms/ceg-kms-2-key-policy-public-principal';
import { keyPolicyAdministrator } from './kms/ceg-kms-3-key-policy-administrator';
import { keyPolicyCreateGrant } from './kms/ceg-kms-4-key-policy-create-grant';
import { clusterStorageEncrypted } from './rds/ceg-rds-1-cluster-storage-encrypted';
import { instanceStorageEncrypted } from './rds/ceg-rds-2-instance-storage-encrypted';
import { engineTls } from './rds/ceg-rds-3-engine-tls';
import { Rule } from '../engine/rule';
import { RuleInfo } from '../gate/rule-info';
import { unscopedValidationError } from '../private/errors';
import { bucketServerSideEncryption } from './s3/ceg-s3-1-bucket-server-side-encryption';
import { bucketTlsOnly } from './s3/ceg-s3-2-bucket-tls-only';
import { bucketMinimumTls } from './s3/ceg-s3-3-bucket-minimum-tls';
import { bucketSseCBlocked } from './s3/ceg-s3-4-bucket-sse-c-blocked';
import { secretCustomerManagedKey } from './secretsmanager/ceg-sm-1-secret-customer-managed-key';
import { secretRotation } from './secretsmanager/ceg-sm-2-secret-rotation';
import { secureStringType } from './ssm/ceg-ssm-1-secure-string-type';
import { plainSecret } from './ssm/ceg-ssm-2-plain-secret';

/** Every rule, in the order of the rule table. */
export const RULES: readonly Rule[] = [
  bucketServerSideEncryption,
  bucketTlsOnly,
  bucketMinimumTls,
  bucketSseCBlocked,
  volumeEncrypted,
  launchDefinitionVolumes,
  instanceVolumes,
  autoScalingGroupVolumes,
  clusterStorageEncrypted,
  instanceStorageEncrypted,
  engineTls,
  keyRotation,
  keyPolicyPublicPrincipal,
  keyPolicyAdministrator,
  keyPolicyCreateGrant,
  secretCustomerManagedKey,
  secretRotation,
  httpListenerRedirects,
  tlsListenerPolicy,
  acmCertificate,
  classicListenerTls,
  tableEncryption,
  replicaKeys,
  fileSystemEncrypted,
  tlsOnlyPolicy,
  viewerHttps,
  viewerTlsPolicy,
  defaultCertificate,
  originTls,
  domainTlsPolicy,
  defaultEndpoint,
  cacheEncryption,
  apiTlsPolicy,
  secureStringType,
  plainSecret,
];

/**
 * The rule catalogue: what each rule of the gate checks, why, and how to fix its findings.
 */
export class RuleCatalogue {
  /** Every rule. */
  public static all(): RuleInfo[] {
    return RULES.map(info);
  }

  /** One rule by ID; throws for an unknown ID. */
  public static get(ruleId: string): RuleInfo {
    const rule = RULES.find(r => r.id === ruleId);
    if (rule === undefined) {
      throw unscopedValidationError('UnknownEncryptionRule', `Unknown rule "${ruleId}". Known rules: ${RULES.map(r => r.id).join(', ')}.`);
    }
    return info(rule);
  }

  private constructor() {}
}

/** The metadata of a rule, without its check (a plain struct for every jsii language). */
function info(rule: Rule): RuleInfo {
  return {
    id: rule.id,
    service: rule.service,
    title: rule.title,
    rationale: rule.rationale,
    fix: rule.fix,
    resourceTypes: [...rule.resourceTypes],
    defaultLevel: rule.defaultLevel,
  };
}
