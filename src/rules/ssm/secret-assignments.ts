// The names a Parameter Store value gives a value to (CEG-SSM-2): keys, options, XML elements.
import { SECRET_WORDS, words } from './secret-words';

/** An ARN: its parts (`...:secret:name`) name things and are no assignment. */
const ARN = /(^|[^A-Za-z0-9])arn:[a-z-]+:[a-z0-9-]*:[a-z0-9-]*:[0-9]*:[A-Za-z0-9_+.@:/*-]*/g;
/**
 * Names given a value, and the value's beginning: a key (`password=...`,
 * `"dbPassword": "..."`, `api_key: ...`), a command-line option followed by its argument
 * (`--password hunter2`), an XML element with text (`<password>hunter2</password>`). A name starts
 * where a run of name characters starts, and at most 64 characters of a value are looked at (enough
 * to tell a count), so that a long value is scanned a bounded number of times.
 */
const ASSIGNMENTS = [
  /(?<![A-Za-z0-9_.-])(?<key>[A-Za-z0-9_.-]+)["']?\s*(?<sep>[=:])(?=\s*(?<quote>["']?)(?<value>[^\s"',}]{1,64}))/g,
  // Not an option named in prose ("use --password to set it").
  /(?:^|\s)--(?<key>[A-Za-z][A-Za-z0-9_.-]*)[ \t]+(?!(?:to|and|or|is|the|an?|flag|option|argument|if|when|with|for|of|in|on)\s)(?=(?<quote>["']?)(?<value>[^\s"'-][^\s"']{0,63}))/g,
  // Text, also after a comment or in a CDATA section (a string, like a quoted value).
  /<(?<key>[A-Za-z_][A-Za-z0-9_.:-]*)(?:\s[^<>]*)?>\s*(?:<!--(?:[^-]|-(?!->)){0,256}-->\s*)*(?=(?<quote><!\[CDATA\[\s*)?(?<value>[^<\]\s][^<\]]{0,63}))/g,
];

/** An unquoted number or flag: what a bare `pass` is given as a step or a count (`"pass": 3`, `--pass 2`). */
const COUNT = /^(\d+|true|false)$/i;
export const FLAG = /^(true|false)$/i;

/** The first name like a secret that the value assigns something to (JSON, YAML, env, URL query, command line, XML). */
export function secretKeyIn(value: string): string | undefined {
  const text = value.replace(ARN, '$1 ');
  for (const assignment of ASSIGNMENTS) {
    for (const match of text.matchAll(assignment)) {
      const { key, sep, quote, value: given } = match.groups as { key: string; sep?: string; quote?: string; value: string };
      // A bare `pass` given a number or flag is a count, a `...pass` given a flag a result
      // (`TEST_PASS=true`), when that is the whole value: what follows ends a line, or goes on to
      // another key (`, "run": 42`, `&run=42`, `;RUN=4`) or to the next JSON document.
      const lower = key.toLowerCase();
      const flag = sep === '=' ? given.split(/[&;]/)[0] : given;
      const rest = text.slice(text.indexOf(given, match.index! + match[0].length) + flag.length);
      const end = sep === undefined ? /^($|[\s<])/ : sep === '=' ? /^[ \t]*($|[\r\n#]|[;&][\w.-]+=)/
        : /^[ \t]*($|[\r\n#]|[,}\]][\s,}\]]*($|[{[]|["']?[\w.-]+["']?\s*:))/;
      const count = !quote && end.test(rest) && (lower === 'pass' ? COUNT.test(flag) : lower.endsWith('pass') && FLAG.test(flag));
      if (!count && SECRET_WORDS.test(words(key))) {
        return key;
      }
    }
  }
  return undefined;
}
