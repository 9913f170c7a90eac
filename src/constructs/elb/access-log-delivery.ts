import { Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * In the Regions that existed before August 2022, aws-cdk-lib's `logAccessLogs` lets only that
 * Region's Elastic Load Balancing account write the logs. AWS documents the log delivery service
 * principal (`logdelivery.elasticloadbalancing.amazonaws.com`) for those Regions too, and recommends
 * it: let it write under the same path, so delivery (and the test object ELB writes when access logs
 * are turned on) works whichever of the two ELB uses. The path names this account
 * (`<prefix>/AWSLogs/<account>/`), which is where ELB writes the logs of this account's load balancers.
 */
export function allowServicePrincipalDelivery(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  const stack = Stack.of(loadBalancer);
  if (Token.isUnresolved(stack.region) || RegionInfo.get(stack.region).elbv2Account === undefined) {
    // aws-cdk-lib already names the service principal (newer Regions), or refuses an unknown Region.
    return;
  }
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
  }));
}
