#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'path';
import { pathToFileURL } from 'url';
import { readAssembly, ReportInputError } from './assembly';
import { toMarkdown } from './markdown';
import { catalogue } from './rules';
import { toSarif } from './sarif';
import { VERSION } from '../private/version';

const INFORMATION_URI = 'https://github.com/cdk-encryption-guard/cdk-encryption-guard';

export const USAGE = `Usage: cdk-encryption-guard report [CLOUD_ASSEMBLY_DIR] [--format sarif|markdown] [--output FILE]

Reads the encryption findings of a synthesized CDK app (validation-report.json of the
EncryptionChecks plugin, and the CEG-… annotations of the EnforceEncryption Aspect, Stages
included) and writes them as SARIF 2.1.0 for code scanning, or as Markdown for a pull request.

  CLOUD_ASSEMBLY_DIR   the cloud assembly that cdk synth wrote (default: cdk.out)
  --format, -f         sarif (default) or markdown
  --output, -o         file to write (default: standard output)
  --help, -h           this text
  --version            the version of cdk-encryption-guard
`;

/** Where the command writes. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The directory relative paths are resolved from. */
  readonly cwd: string;
}

interface ReportArgs {
  readonly assembly: string;
  readonly format: 'sarif' | 'markdown';
  readonly output?: string;
}

class UsageError extends Error {}

/** Runs the command; returns the exit code (0 done, 1 unreadable input, 2 wrong usage). */
export function main(argv: string[], io: CliIo): number {
  try {
    if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
      (argv.length === 0 ? io.stderr : io.stdout)(USAGE);
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === '--version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (argv[0] !== 'report') {
      throw new UsageError(`Unknown command "${argv[0]}". The only command is "report": cdk-encryption-guard report [CLOUD_ASSEMBLY_DIR] --format sarif|markdown.`);
    }
    const args = parseReportArgs(argv.slice(1));
    const directory = resolve(io.cwd, args.assembly);
    const assembly = readAssembly(directory);
    if (assembly.warning !== undefined) {
      io.stderr(`cdk-encryption-guard: ${assembly.warning}\n`);
    }
    const rules = catalogue();
    const text = args.format === 'markdown'
      ? toMarkdown(assembly, rules)
      : JSON.stringify(toSarif(assembly, rules, {
        toolVersion: VERSION,
        informationUri: INFORMATION_URI,
        artifactUri: templateFile => artifactUri(io.cwd, join(directory, templateFile)),
      }), undefined, 2) + '\n';
    if (args.output !== undefined) {
      const file = resolve(io.cwd, args.output);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    } else {
      io.stdout(text);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk-encryption-guard: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ReportInputError) {
      io.stderr(`cdk-encryption-guard: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function parseReportArgs(args: string[]): ReportArgs {
  let assembly: string | undefined;
  let format: string = 'sarif';
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') {
        throw new UsageError(`${flag} needs a value.`);
      }
      return v;
    };
    if (flag === '--format' || flag === '-f') {
      format = value();
    } else if (flag === '--output' || flag === '-o') {
      output = value();
    } else if (flag.startsWith('-')) {
      throw new UsageError(`Unknown option "${arg}". Options: --format sarif|markdown, --output FILE.`);
    } else if (assembly === undefined) {
      assembly = arg;
    } else {
      throw new UsageError(`Only one CLOUD_ASSEMBLY_DIR can be given; got "${assembly}" and "${arg}".`);
    }
  }
  if (format !== 'sarif' && format !== 'markdown') {
    throw new UsageError(`--format "${format}" is not supported: use --format sarif (the default) or --format markdown.`);
  }
  return { assembly: assembly ?? 'cdk.out', format, output };
}

/**
 * The template's URI in the log: relative to the working directory (the repository root in CI,
 * which is what code scanning expects), or a file URI when the assembly is outside it.
 */
function artifactUri(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    return pathToFileURL(file).href;
  }
  return rel.split(sep).map(encodeURIComponent).join('/');
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    cwd: process.cwd(),
  });
}
