import { COMMANDS, UsageError } from './commands';

/** `tsx lifecycle/main.ts <backup|restore|migrate> ...`: errors on one line to stderr, exit 1 (2 for usage). */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS[name as keyof typeof COMMANDS];
  try {
    if (!command) throw new UsageError(`unknown command "${name}": expected ${Object.keys(COMMANDS).join(', ')}`);
    await command(args, process.env, (line) => console.log(line));
    return 0;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
