import { IResource, Token } from 'aws-cdk-lib';

/** The Region a resource of the app (or one imported by a literal ARN) is in, when the app spells it out. */
export function spelledRegionOf(resource: IResource): string | undefined {
  const region = resource.env.region;
  return Token.isUnresolved(region) ? undefined : region;
}
