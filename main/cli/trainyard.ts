#!/usr/bin/env node
import { WorkbenchError } from '../../shared/errors';
import { commands, usage } from './commands';

/**
 * `trainyard` — the command line. Global flags: `--home <dir>` (data folder), `--json`
 * (machine-readable output). Exit codes: 0 ok, 1 failure, 2 bad usage.
 */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    console.log(typeof __TRAINYARD_VERSION__ === 'string' ? __TRAINYARD_VERSION__ : 'dev');
    return 0;
  }
  const words = [name, rest[0] ?? ''];
  const command = commands.find((candidate) => candidate.words.every((word, index) => words[index] === word));
  if (!command) {
    console.error(`Unknown command '${argv.slice(0, 2).join(' ')}'.\n\n${usage}`);
    return 2;
  }
  return command.run(argv.slice(command.words.length));
}

declare const __TRAINYARD_VERSION__: string | undefined;

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof WorkbenchError) console.error(`trainyard: ${error.message}`);
    else if (error instanceof TypeError && /ERR_PARSE_ARGS/.test(String((error as NodeJS.ErrnoException).code))) console.error(`trainyard: ${error.message}`);
    else console.error('trainyard:', error);
    process.exitCode = error instanceof WorkbenchError && error.code === 'INVALID_ARGUMENT' ? 2 : 1;
  },
);
