import { Annotations, App, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Whether the aws-cdk-lib in use narrows acknowledgements with `where` (a later release than the
 * package's floor): an acknowledgement without a filter removes a warning, one with a filter leaves
 * a warning without context standing. Older releases ignore the filter. Told by CDK's own
 * behaviour on its warnings, not by the gate's code.
 */
export function cdkNarrowsAcknowledgements(): boolean {
  const survives = (where?: { [key: string]: string }) => {
    const scope = new Construct(new App(), 'Probe');
    Annotations.of(scope).addWarningV2('probe-rule', 'a warning without context');
    // `where` is unknown to the types of older releases, which ignore it.
    Validations.of(scope).acknowledge({ id: 'probe-rule', reason: 'probe', ...where ? { where } : {} });
    return scope.node.metadata.some(m => m.type === 'aws:cdk:warning' && String(m.data).includes('a warning without context'));
  };
  return !survives() && survives({ prefix: 'p/' });
}
