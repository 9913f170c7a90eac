import { COMPLIANT, nonCompliant, NOT_APPLICABLE, Rule, unresolvable } from '../../engine/rule';
import { TargetSpec } from '../../engine/rule-context';
import { field, readList, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const LISTENER: TargetSpec = { types: ['AWS::ElasticLoadBalancingV2::Listener'], noun: 'listener' };

/** Whether every action of a list redirects to HTTPS. */
function allRedirectToHttps(actions: unknown[]): boolean {
  return actions.length > 0 && actions.every(a => field(a, 'Type') === 'redirect' && field(field(a, 'RedirectConfig'), 'Protocol') === 'HTTPS');
}

/** CEG-ELB-1: an HTTP listener only redirects to HTTPS (its default action and its rules). */
export const httpListenerRedirects: Rule = {
  id: 'CEG-ELB-1',
  service: RuleService.ELB,
  title: 'HTTP listeners only redirect to HTTPS (default action and listener rules)',
  rationale:
    'A listener on plain HTTP that forwards or answers serves content, cookies and credentials unencrypted. Redirecting to HTTPS '
    + 'keeps old links working while every exchange happens over TLS.',
  fix: 'Give the HTTP listener only `elbv2.ListenerAction.redirect({ protocol: \'HTTPS\', port: \'443\', permanent: true })` (or use '
    + '`AcmFrontedAlb`), and no rules that forward.',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener'],
  defaultLevel: FindingLevel.ERROR,

  check(listener, context) {
    const protocol = readString(listener.read('Protocol'), 'Protocol');
    if (!protocol.known) {
      return unresolvable(protocol.why, 'Properties.Protocol');
    }
    if (protocol.value !== 'HTTP') {
      return NOT_APPLICABLE;
    }
    const actions = readList(listener.read('DefaultActions'), 'DefaultActions');
    if (!actions.known) {
      return unresolvable(actions.why, 'Properties.DefaultActions');
    }
    if (!allRedirectToHttps(actions.value ?? [])) {
      return nonCompliant('The HTTP listener\'s default action does not redirect to HTTPS, so it serves traffic unencrypted', 'Properties.DefaultActions');
    }
    const rules = context.referrers(listener, 'AWS::ElasticLoadBalancingV2::ListenerRule', ['ListenerArn'], LISTENER);
    if (!rules.known) {
      return unresolvable(`a listener rule known only at deploy time may belong to the listener: ${rules.why}`, 'Properties.DefaultActions');
    }
    for (const rule of rules.value) {
      // The finding stays on the listener; its location names the rule's property.
      const ruleActions = readList(rule.read('Actions'), 'Actions');
      const at = `Properties.DefaultActions (listener rule ${rule.displayName}: Properties.Actions)`;
      if (!ruleActions.known) {
        return unresolvable(`the actions of listener rule ${rule.displayName}: ${ruleActions.why}`, at);
      }
      if (!allRedirectToHttps(ruleActions.value ?? [])) {
        return nonCompliant(`Listener rule ${rule.displayName} of the HTTP listener does not redirect to HTTPS, so it serves traffic unencrypted`, at);
      }
    }
    return COMPLIANT;
  },
};
