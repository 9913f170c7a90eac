import { autoScalingGroupVolumes } from './ebs/auto-scaling-group-volumes';
import { instanceVolumes } from './ebs/instance-volumes';
import { launchDefinitionVolumes } from './ebs/launch-definition-volumes';
import { volumeEncrypted } from './ebs/volume-encrypted';
import { acmCertificate } from './elb/acm-certificate';
import { httpListenerRedirects } from './elb/http-listener-redirects';
import { tlsListenerPolicy } from './elb/tls-listener-policy';
import { keyPolicyAdministrator } from './kms/key-policy-administrator';
import { keyPolicyCreateGrant } from './kms/key-policy-create-grant';
import { keyPolicyPublicPrincipal } from './kms/key-policy-public-principal';
import { keyRotation } from './kms/key-rotation';
import { clusterStorageEncrypted } from './rds/cluster-storage-encrypted';
import { engineTls } from './rds/engine-tls';
import { instanceStorageEncrypted } from './rds/instance-storage-encrypted';
import { Rule } from '../engine/rule';
import { RuleInfo } from '../gate/rule-info';
import { unscopedValidationError } from '../private/errors';
import { bucketMinimumTls } from './s3/bucket-minimum-tls';
import { bucketServerSideEncryption } from './s3/bucket-server-side-encryption';
import { bucketSseCBlocked } from './s3/bucket-sse-c-blocked';
import { bucketTlsOnly } from './s3/bucket-tls-only';
import { secretCustomerManagedKey } from './secretsmanager/secret-customer-managed-key';
import { secretRotation } from './secretsmanager/secret-rotation';

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
