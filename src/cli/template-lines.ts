/**
 * The line (1-based) of each resource's logical ID in a CloudFormation JSON template, found by
 * scanning the text: `"Resources": { "<LogicalId>": ... }`. CDK writes no source lines, so this
 * is the most precise place a code scanner can show.
 */
export function resourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let depth = 0;
  /** The key that opened each object currently open, by depth. */
  const keys: Array<string | undefined> = [];
  let lastString: { value: string; line: number } | undefined;
  let pendingKey: string | undefined;

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
    } else if (c === '"') {
      const start = line;
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') {
          i++;
          value += text[i] === 'n' ? '\n' : text[i];
        } else {
          if (text[i] === '\n') {
            line++;
          }
          value += text[i];
        }
      }
      lastString = { value, line: start };
    } else if (c === ':') {
      if (lastString !== undefined) {
        pendingKey = lastString.value;
        // A key of the template's "Resources" object (the root is depth 1, Resources depth 2).
        if (depth === 2 && keys[2] === 'Resources' && !lines.has(pendingKey)) {
          lines.set(pendingKey, lastString.line);
        }
      }
      lastString = undefined;
    } else if (c === '{' || c === '[') {
      depth++;
      keys[depth] = pendingKey;
      pendingKey = undefined;
      lastString = undefined;
    } else if (c === '}' || c === ']') {
      keys[depth] = undefined;
      depth--;
      pendingKey = undefined;
      lastString = undefined;
    } else if (c === ',') {
      pendingKey = undefined;
      lastString = undefined;
    }
  }
  return lines;
}
