/**
 * Loops of references inside one CloudFormation template (`Ref`, `Fn::GetAtt`, `Fn::Sub`
 * variables, `DependsOn`), which CloudFormation refuses as circular dependencies although CDK
 * synthesizes them: each loop as `A -> B -> A`.
 */
export function dependencyLoops(template: { Resources?: Record<string, { Properties?: unknown; DependsOn?: string | string[] }> }): string[] {
  const resources = template.Resources ?? {};
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(resources)) {
    const targets = new Set<string>([resource.DependsOn ?? []].flat());
    collectReferences(resource.Properties, targets);
    edges.set(id, [...targets].filter(t => t in resources));
  }
  const loops: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    path.push(id);
    for (const next of edges.get(id)!) {
      if (state.get(next) === 'open') {
        loops.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    path.pop();
    state.set(id, 'done');
  };
  [...edges.keys()].forEach(id => state.has(id) || visit(id));
  return loops;
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach(v => collectReferences(v, into));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string') {
      into.add(inner);
    } else if (key === 'Fn::GetAtt') {
      into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
    } else if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(inner) ? inner : [inner, undefined];
      for (const match of String(text).matchAll(/\$\{([^}!.]+)/g)) {
        into.add(match[1]);
      }
      collectReferences(variables, into);
    } else {
      collectReferences(inner, into);
    }
  }
}
