import { isTls12MinimumPolicy } from '../../aws/elb-tls-policies';
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, Rule, unresolvable } from '../../engine/rule';
import { readList, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

/** CEG-ELB-2: an HTTPS or TLS listener has a certificate and an explicit TLS 1.2+ security policy. */
export const tlsListenerPolicy: Rule = {
  id: 'CEG-ELB-2',
  service: RuleService.ELB,
  title: 'HTTPS and TLS listeners have a certificate and an explicit security policy that requires TLS 1.2 or later',
  rationale:
    'Without SslPolicy the template does not decide which TLS versions the listener accepts: Elastic Load Balancing picks a '
    + 'default (historically ELBSecurityPolicy-2016-08, which accepts TLS 1.0). Policies that accept TLS 1.0 or 1.1 are deprecated.',
  fix: 'Set `sslPolicy` to a TLS 1.2+ policy such as `SslPolicy.TLS13_12_PQ` or `RECOMMENDED_TLS` (or use `AcmFrontedAlb`), and give the '
    + 'listener an ACM certificate.',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener'],
  defaultLevel: FindingLevel.ERROR,

  check(listener) {
    const protocol = readString(listener.read('Protocol'), 'Protocol');
    if (!protocol.known) {
      return unresolvable(protocol.why, 'Properties.Protocol');
    }
    if (protocol.value !== 'HTTPS' && protocol.value !== 'TLS') {
      return NOT_APPLICABLE;
    }
    const certificates = readList(listener.read('Certificates'), 'Certificates');
    if (!certificates.known) {
      return unresolvable(certificates.why, 'Properties.Certificates');
    }
    if ((certificates.value ?? []).length === 0) {
      return nonCompliant(`The ${protocol.value} listener has no certificate`, 'Properties.Certificates');
    }
    const policy = readString(listener.read('SslPolicy'), 'SslPolicy');
    if (!policy.known) {
      return unresolvable(policy.why, 'Properties.SslPolicy');
    }
    if (policy.value === undefined) {
      return nonCompliant(`The ${protocol.value} listener sets no SslPolicy, so the template does not decide which TLS versions it accepts`, 'Properties.SslPolicy');
    }
    if (!isTls12MinimumPolicy(policy.value)) {
      return nonCompliant(`The listener's SslPolicy ${policy.value} accepts TLS below 1.2 (or is not a known TLS 1.2+ policy)`, 'Properties.SslPolicy');
    }
    return COMPLIANT;
  },
};
