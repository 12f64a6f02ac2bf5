import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where a command reads its input and writes its output. */
export interface RunIo {
  /** Fed to stdin (then closed); stdin is empty otherwise. */
  readonly stdin?: Readable | Buffer;
  /** stdout goes to this file instead of being returned. */
  readonly stdoutFile?: string;
}

export class CommandError extends Error {
  constructor(message: string, public readonly exitCode: number | null) {
    super(message);
  }
}

/**
 * Runs a command (no shell), streaming stdin and stdout. Resolves with stdout
 * (empty when it went to a file); rejects with the command's name, exit code
 * and the end of its stderr. `what` names the command for people, and is the
 * only thing of it shown (arguments may hold a script).
 */
export function runCommand(what: string, command: string, args: readonly string[], io: RunIo = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    const output = io.stdoutFile ? pipeline(child.stdout, createWriteStream(io.stdoutFile)) : collect(child.stdout, stdout);
    const input = io.stdin === undefined ? (child.stdin.end(), Promise.resolve())
      : pipeline(Buffer.isBuffer(io.stdin) ? Readable.from([io.stdin]) : io.stdin, child.stdin).catch((error: NodeJS.ErrnoException) => {
        // The command may exit (failing) before reading everything: its exit status tells why.
        if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
      });
    const exited = new Promise<number | null>((done, failed) => {
      child.on('error', (error: NodeJS.ErrnoException) => failed(error.code === 'ENOENT' ? new CommandError(`${what}: ${command} is not installed (not on PATH)`, null) : error));
      child.on('close', (code) => done(code));
    });
    Promise.all([exited, output, input]).then(([code]) => {
      if (code === 0) resolve(Buffer.concat(stdout));
      else reject(new CommandError(`${what} failed (exit ${code}): ${lastLines(stderr) || 'no error output'}`, code));
    }, reject);
  });
}

async function collect(stream: Readable, into: Buffer[]): Promise<void> {
  for await (const chunk of stream) into.push(chunk as Buffer);
}

/** The end of a command's error output, short enough for one line: the last lines, each cut to 200 characters. */
export function lastLines(stderr: string, lines = 3, width = 200): string {
  return stderr.trim().split('\n').filter((line) => line.trim() !== '').slice(-lines)
    .map((line) => (line.length > width ? `${line.slice(0, width)}…` : line)).join(' | ');
}
