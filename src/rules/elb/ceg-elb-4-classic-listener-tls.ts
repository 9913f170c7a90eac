import { COMPLIANT, nonCompliant, Rule, unresolvable, Verdict } from '../../engine/rule';
import { field, readList, readObject, readString, Reading, known } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

/**
 * The one predefined Classic Load Balancer security policy that accepts nothing below TLS 1.2
 * (Elastic Load Balancing User Guide for Classic Load Balancers, "Predefined SSL security
 * policies"). A listener with no policy gets `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0.
 */
const TLS12_POLICY = 'ELBSecurityPolicy-TLS-1-2-2017-01';
const OLD_PROTOCOLS = ['Protocol-SSLv2', 'Protocol-SSLv3', 'Protocol-TLSv1', 'Protocol-TLSv1.1'];

/** CEG-ELB-4: a Classic Load Balancer listens only over HTTPS or SSL, with a TLS 1.2 security policy. */
export const classicListenerTls: Rule = {
  id: 'CEG-ELB-4',
  service: RuleService.ELB,
  title: 'Classic Load Balancers listen only over HTTPS or SSL, with a security policy that requires TLS 1.2',
  rationale:
    'A Classic Load Balancer cannot redirect HTTP to HTTPS: an HTTP or TCP listener carries traffic unencrypted (unless the instances '
    + 'terminate TLS themselves). An HTTPS or SSL listener without a policy gets ELBSecurityPolicy-2016-08, which accepts TLS 1.0.',
  fix: 'Move to an Application or Network Load Balancer (`AcmFrontedAlb`); or listen only with HTTPS or SSL and attach an '
    + '`SSLNegotiationPolicyType` policy whose `Reference-Security-Policy` is ELBSecurityPolicy-TLS-1-2-2017-01. Acknowledge a TCP '
    + 'listener whose instances terminate TLS, with that reason.',
  resourceTypes: ['AWS::ElasticLoadBalancing::LoadBalancer'],
  defaultLevel: FindingLevel.ERROR,

  check(balancer) {
    const listeners = balancer.list('Listeners');
    if (!listeners.known) {
      return unresolvable(listeners.why, listeners.location);
    }
    for (const [i, entry] of (listeners.value ?? []).entries()) {
      const at = `Properties.Listeners.${i}`;
      const listener = readObject(entry, `Listeners.${i}`);
      if (!listener.known) {
        return unresolvable(listener.why, at);
      }
      const protocol = readString(field(listener.value, 'Protocol'), `Listeners.${i}.Protocol`);
      if (!protocol.known) {
        return unresolvable(protocol.why, `${at}.Protocol`);
      }
      const name = (protocol.value ?? '').toUpperCase();
      if (name !== 'HTTPS' && name !== 'SSL') {
        return nonCompliant(`Listener ${i} uses ${protocol.value ?? 'no protocol'}, so the load balancer carries its traffic unencrypted`, `${at}.Protocol`);
      }
      const verdict = judgeListenerPolicies(balancer.read('Policies'), listener.value ?? {}, i);
      if (verdict !== COMPLIANT) {
        return verdict;
      }
    }
    return COMPLIANT;
  },
};

/**
 * The SSL negotiation policies of one HTTPS/SSL listener: those its `PolicyNames` name and those
 * whose `LoadBalancerPorts` include its port. None means the default, which accepts TLS 1.0.
 */
function judgeListenerPolicies(rawPolicies: unknown, listener: { [key: string]: unknown }, i: number): Verdict {
  const at = `Properties.Listeners.${i}.PolicyNames`;
  const names = readList(field(listener, 'PolicyNames'), `Listeners.${i}.PolicyNames`);
  if (!names.known) {
    return unresolvable(names.why, at);
  }
  const port = field(listener, 'LoadBalancerPort');
  const policies = readList(rawPolicies, 'Policies');
  if (!policies.known) {
    return unresolvable(policies.why, 'Properties.Policies');
  }
  let negotiation = 0;
  const defined = new Set<string>();
  for (const [p, entry] of (policies.value ?? []).entries()) {
    const policy = readObject(entry, `Policies.${p}`);
    if (!policy.known) {
      return unresolvable(`${policy.why}: it may be the listener's SSL negotiation policy`, `Properties.Policies.${p}`);
    }
    const type = readString(field(policy.value, 'PolicyType'), `Policies.${p}.PolicyType`);
    if (!type.known) {
      return unresolvable(type.why, `Properties.Policies.${p}.PolicyType`);
    }
    if (type.value !== 'SSLNegotiationPolicyType') {
      continue;
    }
    const applies = appliesTo(policy.value ?? {}, names.value ?? [], port, p, defined);
    if (!applies.known) {
      return unresolvable(applies.why, `Properties.Policies.${p}`);
    }
    if (!applies.value) {
      continue;
    }
    negotiation++;
    const weak = weakness(field(policy.value, 'Attributes'), p);
    if (!weak.known) {
      return unresolvable(weak.why, `Properties.Policies.${p}.Attributes`);
    }
    if (weak.value !== undefined) {
      return nonCompliant(`Listener ${i}'s SSL negotiation policy ${String(field(policy.value, 'PolicyName'))} ${weak.value}`, `Properties.Policies.${p}.Attributes`);
    }
  }
  // A predefined policy named directly, without a policy of the load balancer that references it.
  for (const name of names.value ?? []) {
    if (typeof name === 'string' && !defined.has(name) && name.startsWith('ELBSecurityPolicy-')) {
      if (name !== TLS12_POLICY) {
        return nonCompliant(`Listener ${i} uses the security policy ${name}, which accepts TLS below 1.2`, at);
      }
      negotiation++;
    }
  }
  if (negotiation === 0) {
    return nonCompliant(`Listener ${i} has no SSL negotiation policy, so it gets ELBSecurityPolicy-2016-08, which accepts TLS 1.0`, at);
  }
  return COMPLIANT;
}

/** Whether a policy applies to the listener: named by it, or attached to its port. */
function appliesTo(policy: { [key: string]: unknown }, names: unknown[], port: unknown, p: number, defined: Set<string>): Reading<boolean> {
  const name = readString(field(policy, 'PolicyName'), `Policies.${p}.PolicyName`);
  if (!name.known) {
    return name;
  }
  if (name.value !== undefined) {
    defined.add(name.value);
  }
  for (const [n, listed] of names.entries()) {
    const value = readString(listed, `PolicyNames.${n}`);
    if (!value.known) {
      return value;
    }
    if (value.value === name.value) {
      return known(true);
    }
  }
  const ports = readList(field(policy, 'LoadBalancerPorts'), `Policies.${p}.LoadBalancerPorts`);
  if (!ports.known) {
    return ports;
  }
  for (const [n, listed] of (ports.value ?? []).entries()) {
    const value = readString(listed, `Policies.${p}.LoadBalancerPorts.${n}`);
    if (!value.known) {
      return value;
    }
    const listenerPort = readString(port, 'LoadBalancerPort');
    if (!listenerPort.known) {
      return listenerPort;
    }
    if (value.value !== undefined && value.value === listenerPort.value) {
      return known(true);
    }
  }
  return known(false);
}

/**
 * What makes an SSL negotiation policy accept less than TLS 1.2 (`undefined`: nothing). Passes a
 * policy that references ELBSecurityPolicy-TLS-1-2-2017-01, or one that turns every older protocol
 * off itself, and turns none of them back on.
 */
function weakness(rawAttributes: unknown, p: number): Reading<string | undefined> {
  const attributes = readList(rawAttributes, `Policies.${p}.Attributes`);
  if (!attributes.known) {
    return attributes;
  }
  const values = new Map<string, string>();
  for (const [a, entry] of (attributes.value ?? []).entries()) {
    const name = readString(field(entry, 'Name'), `Policies.${p}.Attributes.${a}.Name`);
    // CloudFormation passes a boolean (an unquoted YAML `false`) on as its text.
    const raw = field(entry, 'Value');
    const value = readString(typeof raw === 'boolean' ? String(raw) : raw, `Policies.${p}.Attributes.${a}.Value`);
    if (!name.known || !value.known) {
      return !name.known ? name : value;
    }
    if (name.value !== undefined && value.value !== undefined) {
      values.set(name.value, value.value);
    }
  }
  const enabled = OLD_PROTOCOLS.filter(protocol => values.get(protocol)?.toLowerCase() === 'true');
  if (enabled.length > 0) {
    return known(`turns on ${enabled.join(', ')}`);
  }
  const reference = values.get('Reference-Security-Policy');
  if (reference !== undefined) {
    return known(reference === TLS12_POLICY ? undefined : `references ${reference}, which accepts TLS below 1.2 (or is not a known TLS 1.2 policy)`);
  }
  const notOff = OLD_PROTOCOLS.slice(1).filter(protocol => values.get(protocol)?.toLowerCase() !== 'false');
  return known(notOff.length === 0 ? undefined : `neither references ${TLS12_POLICY} nor turns off ${notOff.join(', ')}`);
}
