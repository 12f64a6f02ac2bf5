import { spawn } from 'node:child_process';
import { sleep } from './run';
import { firstInstallPage, seconds } from './timing';

/** Time (ms since epoch) of the first `create` event of a container whose name matches. */
export function firstContainerCreate(namePattern: RegExp): { result: Promise<number>; stop: () => void } {
  const events = spawn('docker', ['events', '--filter', 'type=container', '--filter', 'event=create', '--format', '{{.TimeNano}} {{.Actor.Attributes.name}}']);
  let resolveFirst: (t: number) => void = () => undefined;
  const result = new Promise<number>((resolve) => { resolveFirst = resolve; });
  let buffer = '';
  events.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk;
    for (const line of buffer.split('\n').slice(0, -1)) {
      const [nanos, name] = line.split(' ');
      if (namePattern.test(name)) resolveFirst(Number(BigInt(nanos) / 1_000_000n));
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
  });
  return { result, stop: () => events.kill() };
}

/**
 * Runs `start` and, alongside, polls the install page. Returns the seconds
 * from the first container of the app being created to the first 200 with
 * the install form, and from the start of the command to that 200.
 */
export async function timeToFirst200(siteUrl: string, containerPattern: RegExp, start: () => Promise<unknown>) {
  const created = firstContainerCreate(containerPattern);
  await sleep(300); // let `docker events` subscribe
  const commandStart = Date.now();
  const first200 = firstInstallPage(siteUrl);
  await start();
  const [t200, tCreate] = await Promise.all([first200, created.result]);
  created.stop();
  return { fromCreate: seconds(t200 - tCreate), fromCommand: seconds(t200 - commandStart) };
}
