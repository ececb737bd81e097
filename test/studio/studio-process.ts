/**
 * Runs `chronos studio` as users do (the CLI, through tsx, with a config module) and reads the
 * URL it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** A running `chronos studio` process. */
export interface StudioProcess {
  url: string;
  origin: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Which CLI to run: the sources through tsx (default) or a built `cli.js`, from a working folder. */
export interface CliLocation {
  /** Path of a built `dist/cli.js`; without it, `cli/cli.ts` runs through tsx. */
  builtCli?: string;
  cwd?: string;
}

/** Starts `chronos studio --config <file> --port 0 --no-open [...extra]` and resolves once it printed its URL. */
export function startStudioProcess(configFile: string, extra: string[] = [], where: CliLocation = {}): Promise<StudioProcess> {
  const cli = where.builtCli ? [where.builtCli] : ['--import', 'tsx', resolve(root, 'cli/cli.ts')];
  const child: ChildProcess = spawn(process.execPath, [...cli, 'studio', '--config', configFile, '--port', '0', '--no-open', ...extra], {
    cwd: where.cwd ?? root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`chronos studio printed no URL in 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=[0-9a-f]{64}/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      done({
        url: match[0],
        origin: match[1] as string,
        output: () => out,
        stop: () =>
          new Promise<void>((stopped) => {
            if (child.exitCode !== null) return stopped();
            child.once('exit', () => stopped());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`chronos studio exited with ${code}:\n${out}`));
    });
  });
}
