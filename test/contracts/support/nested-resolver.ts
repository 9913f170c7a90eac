import { readFileSync } from 'fs';
import { join } from 'path';
import { App, NestedStack, Stack, Stage, Token } from 'aws-cdk-lib';
import { ResolvedApp, StackTemplate } from './resolver';
import { ACCOUNT } from './simulator';

/**
 * ResolvedApp that also reads nested stacks: their templates (from the assembly), their parameters
 * (from the parent's AWS::CloudFormation::Stack resource, resolved in the parent) and the parent's
 * Fn::GetAtt [Nested, Outputs.X] (resolved in the nested template). Env-agnostic stacks are placed in
 * ACCOUNT / `defaultRegion`.
 */
export function resolveWithNested(app: App, defaultRegion = 'eu-west-1'): { resolved: ResolvedApp; nameOf: (s: Stack) => string } {
  const assembly = app.synth();
  const all = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const names = new Map<Stack, string>();
  const templates: StackTemplate[] = [];
  const nameOf = (s: Stack) => names.get(s)!;
  const accountOf = (s: Stack): string => Token.isUnresolved(s.account) ? ACCOUNT : s.account;
  const regionOf = (s: Stack): string => Token.isUnresolved(s.region) ? defaultRegion : s.region;
  void assembly;
  for (const s of all) {
    if (s.nested) {
      const ns = s as NestedStack;
      const dir = Stage.of(ns)!.synth().directory;
      const name = `${nameOf(ns.nestedStackParent!)}-${ns.node.id}`;
      names.set(s, name);
      templates.push({ stackName: name, account: accountOf(s), region: regionOf(s), template: JSON.parse(readFileSync(join(dir, ns.templateFile), 'utf8')) });
    } else {
      const artifact = Stage.of(s)!.synth().getStackArtifact(s.artifactId);
      names.set(s, artifact.stackName);
      templates.push({ stackName: artifact.stackName, account: accountOf(s), region: regionOf(s), template: artifact.template });
    }
  }
  const resolved = new ResolvedApp(templates);
  const byName = new Map(templates.map(t => [t.stackName, t]));
  // nested stack resource (parent name + logical ID) -> nested template
  const nestedOf = new Map<string, StackTemplate>();
  for (const s of all.filter(x => x.nested)) {
    const ns = s as NestedStack;
    const parent = ns.nestedStackParent!;
    const logicalId = parent.resolve((ns.nestedStackResource as any).logicalId);
    nestedOf.set(`${nameOf(parent)}/${logicalId}`, byName.get(nameOf(ns))!);
  }
  const anyResolved = resolved as any;
  const originalGetAtt = anyResolved.getAtt.bind(resolved);
  anyResolved.getAtt = (stack: StackTemplate, logicalId: string, attribute: string) => {
    const nested = nestedOf.get(`${stack.stackName}/${logicalId}`);
    if (nested !== undefined && attribute.startsWith('Outputs.')) {
      const output = nested.template.Outputs?.[attribute.slice('Outputs.'.length)];
      if (output === undefined) throw new Error(`No output ${attribute} in ${nested.stackName}`);
      return resolved.resolve(nested, output.Value);
    }
    return originalGetAtt(stack, logicalId, attribute);
  };
  const originalRef = anyResolved.ref.bind(resolved);
  anyResolved.ref = (stack: StackTemplate, name: string) => {
    const parameter = stack.template.Parameters?.[name];
    if (parameter !== undefined && parameter.Default === undefined) {
      // a nested stack's parameter: what its parent passes
      for (const [key, nested] of nestedOf) {
        if (nested === stack) {
          const [parentName, logicalId] = key.split('/');
          const parent = byName.get(parentName)!;
          const value = parent.template.Resources[logicalId].Properties?.Parameters?.[name];
          if (value !== undefined) return resolved.resolve(parent, value);
        }
      }
    }
    return originalRef(stack, name);
  };
  return { resolved, nameOf };
}
