import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Runs the Edge Functions of examples/edge-functions as Supabase runs them: Deno (the binary of the
 * `deno` npm package), `Deno.serve`, the package imported by name from the example's node_modules
 * (`"nodeModulesDir": "manual"`), on a loopback port, against the test's database.
 */
export const repo = resolve(__dirname, '../..');
export const exampleDir = join(repo, 'examples', 'edge-functions');

/**
 * The example's node_modules, as `npm install` makes it from its package.json, without the network:
 * `therapy-db` (`file:../..`) is an installed copy of the package — package.json, drizzle/ and the
 * build of the current source (dist/ when `npm run build` made it from this source and nothing is
 * rebuilding it, otherwise a build of its own) — so Deno treats it as an npm package (a symlink into
 * this repository would be a local folder to it, and it would not read the .d.ts); the package's
 * dependencies and the example's own are links to the copies this repository installed, hoisted as
 * npm hoists them. Made once per source version; safe when two test files run it at once.
 */
export function installExample(): void {
  const modules = join(exampleDir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  withLock(join(modules, '.install-lock'), () => {
    const installed = join(modules, 'therapy-db');
    const stamp = sourceStamp();
    if (readStamp(installed) !== stamp) {
      rmSync(installed, { recursive: true, force: true });
      mkdirSync(installed, { recursive: true });
      for (const entry of ['package.json', 'drizzle']) cpSync(join(repo, entry), join(installed, entry), { recursive: true });
      if (!copyFreshDist(join(installed, 'dist'))) {
        rmSync(join(installed, 'dist'), { recursive: true, force: true });
        execFileSync(process.execPath, [join(repo, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', join(installed, 'dist')], { cwd: repo, stdio: 'pipe' });
      }
      writeFileSync(join(installed, '.source-stamp'), stamp);
    }
    const manifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> };
    const pkg = manifest(join(repo, 'package.json'));
    const example = manifest(join(exampleDir, 'package.json'));
    const requiredPeers = Object.keys(pkg.peerDependencies ?? {}).filter((name) => !pkg.peerDependenciesMeta?.[name]?.optional);
    const hoisted = new Set([...Object.keys(pkg.dependencies ?? {}), ...requiredPeers, ...Object.keys(example.dependencies ?? {})]);
    hoisted.delete('therapy-db');
    for (const name of hoisted) {
      const link = join(modules, name);
      if (existsSync(link)) continue;
      mkdirSync(dirname(link), { recursive: true });
      rmSync(link, { force: true }); // a dangling link from an earlier layout
      symlinkSync(relative(dirname(link), join(repo, 'node_modules', name)), link, 'dir');
    }
  });
}

/** What the package's build is made from: the source, the manifest, the build config and the migrations. */
function sourceFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  return [...walk(join(repo, 'src')), ...walk(join(repo, 'drizzle')), join(repo, 'package.json'), join(repo, 'tsup.config.ts')].sort();
}

function sourceStamp(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) hash.update(relative(repo, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/**
 * Copies dist/ when it was built from the current source (every file newer than the newest source
 * file, every exported entry present) and did not change while being copied — `npm pack` in another
 * test file rebuilds it (prepack). False when it cannot be used.
 */
function copyFreshDist(target: string): boolean {
  const dist = join(repo, 'dist');
  const listing = (): string | undefined => {
    if (!existsSync(dist)) return undefined;
    return readdirSync(dist)
      .sort()
      .map((name) => `${name}:${statSync(join(dist, name)).size}:${statSync(join(dist, name)).mtimeMs}`)
      .join('\n');
  };
  try {
    const before = listing();
    if (!before) return false;
    const newestSource = Math.max(...sourceFiles().map((file) => statSync(file).mtimeMs));
    const files = readdirSync(dist);
    const exported = ['index', 'schema', 'validators', 'rls', 'integrations'].flatMap((entry) => [`${entry}.js`, `${entry}.d.ts`]);
    if (!exported.every((file) => files.includes(file))) return false;
    if (files.some((file) => statSync(join(dist, file)).mtimeMs < newestSource)) return false;
    cpSync(dist, target, { recursive: true });
    return listing() === before;
  } catch {
    return false; // a file vanished: a build is cleaning dist/
  }
}

function readStamp(installed: string): string | undefined {
  try {
    return readFileSync(join(installed, '.source-stamp'), 'utf8');
  } catch {
    return undefined;
  }
}

/** Runs `fn` holding a lock directory (mkdir is atomic), waiting up to 10 min for another holder (a build). */
function withLock(lock: string, fn: () => void): void {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock whose holder is gone (a run killed while installing) is taken over, not waited on:
      // the wait blocks the event loop, so no test timeout would end it.
      if (!holderAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lock} is held for over 10 min: remove it if no test is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Whether the process that wrote the lock's pid still runs (a lock too new to hold a pid counts as held). */
function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // no pid yet: just created by another process, or left by a run older than the pid file
    try {
      return Date.now() - statSync(lock).mtimeMs < 60_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The Deno executable shipped by the `deno` npm package (no download). */
export function denoExecutable(): string {
  const require = createRequire(__filename);
  return (require('deno/install_api.cjs') as { runInstall(): string }).runInstall();
}

export interface RunningFunction {
  /** `http://127.0.0.1:<port>/<name>`: where Supabase would route `/functions/v1/<name>`. */
  readonly url: string;
  /** The function's stdout and stderr lines so far. */
  readonly output: string[];
  /** Its structured log lines (the JSON ones). */
  logs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * Starts `supabase/functions/<name>/index.ts` with Deno and resolves once it listens. The environment
 * is only what the function is given (as on Supabase), plus PATH and HOME for Deno itself.
 */
export async function startFunction(name: string, env: Readonly<Record<string, string>>): Promise<RunningFunction> {
  const dir = join(exampleDir, 'supabase', 'functions', name);
  const child: ChildProcess = spawn(
    denoExecutable(),
    ['run', '--allow-net', '--allow-env', '--allow-read', '--no-prompt', '--config', join(dir, 'deno.json'), join(dir, 'index.ts')],
    {
      cwd: exampleDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
        NO_COLOR: '1',
        // Deno.serve() listens here instead of :8000, as the Supabase runtime chooses the port for it.
        DENO_SERVE_ADDRESS: 'tcp:127.0.0.1:0',
        FUNCTION_NAME: name,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno ${name}: not listening after 60 s\n${output.join('\n')}`)), 60_000);
    const onLine = (line: string) => {
      output.push(line);
      const match = /Listening on https?:\/\/[^:]+:(\d+)\//.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`deno ${name} exited with ${code} before listening\n${output.join('\n')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/${name}`,
    output,
    logs: () =>
      output.flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `deno check` of the given functions: their types against the package's shipped .d.ts. */
export function checkFunctions(names: readonly string[]): Promise<{ code: number | null; output: string }> {
  const files = names.map((name) => join(exampleDir, 'supabase', 'functions', name, 'index.ts'));
  const child = spawn(denoExecutable(), ['check', '--config', join(exampleDir, 'supabase', 'functions', names[0]!, 'deno.json'), ...files], {
    cwd: exampleDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolveCheck) => child.once('exit', (code) => resolveCheck({ code, output })));
}
