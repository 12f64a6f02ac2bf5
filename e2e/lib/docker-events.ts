import { spawn } from 'node:child_process';
import { sleep } from './run';
import { firstInstallPage, seconds } from './timing';

/** Times (ms since epoch) of the first `create` and the first `start` event of containers whose names match. */
function containerEvents(created: RegExp, started: RegExp) {
  const events = spawn('docker', ['events', '--filter', 'type=container', '--filter', 'event=create', '--filter', 'event=start', '--format', '{{.TimeNano}} {{.Action}} {{.Actor.Attributes.name}}']);
  let resolveCreate: (t: number) => void = () => undefined;
  let resolveStart: (t: number) => void = () => undefined;
  const firstCreate = new Promise<number>((resolve) => { resolveCreate = resolve; });
  const firstStart = new Promise<number>((resolve) => { resolveStart = resolve; });
  let buffer = '';
  events.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk;
    for (const line of buffer.split('\n').slice(0, -1)) {
      const [nanos, action, name] = line.split(' ');
      const at = Number(BigInt(nanos) / 1_000_000n);
      if (action === 'create' && created.test(name)) resolveCreate(at);
      if (action === 'start' && started.test(name)) resolveStart(at);
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
  });
  return { firstCreate, firstStart, stop: () => events.kill() };
}

/** Which containers a timing watches. */
export interface AppContainers {
  /** Every container of the app: the first one created starts the clock of `fromCreate`. */
  readonly app: RegExp;
  /** The container behind the published port (WordPress, or the balancer in front of it). */
  readonly servedBy: RegExp;
}

/** A cdktf Docker or Swarm stack's containers: `<app>-<service>`, Swarm tasks `<app>-<service>.<slot>.<id>`. */
export const stackContainers = (appName: string, servedBy: string): AppContainers =>
  ({ app: new RegExp(`^${appName}-`), servedBy: new RegExp(`^${appName}-${servedBy}(\\.|$)`) });

/** A compose project's containers (`<project>_<service>_1`) or a `docker stack deploy` stack's tasks (`<stack>_<service>.<slot>.<id>`). */
export const composeContainers = (project: string, servedBy: string): AppContainers =>
  ({ app: new RegExp(`^${project}_`), servedBy: new RegExp(`^${project}_${servedBy}(_\\d+$|\\.)`) });

/**
 * Runs `start` and, alongside, polls the install page. Returns the seconds
 * from the first container of the app being created to the first 200 with
 * the install form, and from the start of the command to that 200.
 *
 * Polling begins once the container behind the port has started. A connection made before goes
 * through docker-proxy (which listens as soon as the port is bound) to an address whose interface
 * is not on the bridge yet: the kernel's ARP request gets no answer and is retried only after
 * 1 s, and every connection to that address waits for it (tcpdump, README "Speed"). Polling from
 * the command on added that second to whichever tool it hit, ~0.45 s on average, in two modes.
 */
export async function timeToFirst200(siteUrl: string, containers: AppContainers, start: () => Promise<unknown>) {
  const events = containerEvents(containers.app, containers.servedBy);
  await sleep(300); // let `docker events` subscribe
  const commandStart = Date.now();
  const first200 = events.firstStart.then(() => firstInstallPage(siteUrl));
  try {
    await start();
    const [t200, tCreate] = await Promise.all([first200, events.firstCreate]);
    return { fromCreate: seconds(t200 - tCreate), fromCommand: seconds(t200 - commandStart) };
  } finally {
    events.stop();
  }
}
