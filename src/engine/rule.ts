import type { ResourceView } from './resource-view';
import type { RuleContext } from './rule-context';
import { RuleInfo } from '../gate/rule-info';

/** The verdict of one rule on one resource in one world. */
export type Verdict =
  | { readonly kind: 'compliant' }
  | { readonly kind: 'not-applicable' }
  | { readonly kind: 'non-compliant'; readonly message: string; readonly location: string }
  | { readonly kind: 'unresolvable'; readonly message: string; readonly location: string };

/** A verdict that becomes a finding. */
export type Failure = Extract<Verdict, { message: string }>;

export const COMPLIANT: Verdict = { kind: 'compliant' };
export const NOT_APPLICABLE: Verdict = { kind: 'not-applicable' };

/** `location` is relative to the resource, for example `Properties.BucketEncryption`. */
export function nonCompliant(message: string, location: string): Failure {
  return { kind: 'non-compliant', message, location };
}

export function unresolvable(message: string, location: string): Failure {
  return { kind: 'unresolvable', message, location };
}

/** The unresolvable verdict for a field that cannot be known, with its own location. */
export function unresolvableField(field: { readonly why: string; readonly location: string }): Failure {
  return unresolvable(field.why, field.location);
}

/**
 * A rule: its metadata, and a check that reads only the properties it needs from one resource in
 * one world (and related resources through `context`). Rules never see raw intrinsics: `Fn::If`
 * is decided by the world, and what stays unknown is reported by the view's readers.
 */
export interface Rule extends RuleInfo {
  check(resource: ResourceView, context: RuleContext): Verdict;
}
