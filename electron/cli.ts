// The `portcullis` command (README.md, "Commands"): the launcher (desktop app when Electron and a
// display are available, else headless), `serve`, `check`, `import` and `export`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, type ExportFormat } from './engine/config/production-formats.ts';
import { spawnIdpThread } from './engine/idp/idp-thread.ts';
import { defaultDataDir } from './engine/paths.ts';
import { holdYoungGeneration } from './young-generation.ts';
// Each command loads what it needs when it runs (`await import`), so `serve` does not load the
// import/export code and the built-in provider's thread can start loading before the engine does.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage:
  portcullis                      desktop app (or headless serve when Electron cannot run here)
  portcullis serve [--config FILE] [--data-dir DIR] [--console-port N] [--open]
  portcullis check --config FILE
  portcullis import FILE
  portcullis export --upstream ID --format oauth2-proxy|nginx|caddy|haproxy|traefik [--config FILE] [--data-dir DIR]`;

class UsageError extends Error {}

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** Why the desktop app cannot run here, or undefined when it can. */
function desktopUnavailableReason(): string | undefined {
  let electronDir: string;
  try {
    electronDir = dirname(fileURLToPath(import.meta.resolve('electron/package.json')));
  } catch {
    return 'the electron package is not installed';
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile) || !existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()))) {
    return 'the Electron runtime is not installed (its binary could not be downloaded)';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  if (!existsSync(join(ROOT, 'dist-electron', 'main.js'))) return 'the desktop app is not built (run `npm run build`)';
  return undefined;
}

async function launch(): Promise<void> {
  const reason = desktopUnavailableReason();
  if (reason) {
    console.log(`portcullis: running headless: ${reason}`);
    return serve([]);
  }
  const electronDir = dirname(fileURLToPath(import.meta.resolve('electron/package.json')));
  const binary = join(electronDir, 'dist', readFileSync(join(electronDir, 'path.txt'), 'utf8').trim());
  const child = spawn(binary, [ROOT], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(command, [url], { stdio: 'ignore', detached: true }).on('error', () => console.error('portcullis: could not open a browser; open the console URL printed above')).unref();
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, 'data-dir': { type: 'string' }, 'console-port': { type: 'string' }, open: { type: 'boolean' } },
    strict: true,
  });
  const consolePortArg = values['console-port'];
  if (consolePortArg !== undefined && !/^\d{1,5}$/.test(consolePortArg)) throw new UsageError(`--console-port must be a port number, not "${consolePortArg}"`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  holdYoungGeneration();
  // The built-in provider's thread loads oidc-provider while this thread loads the engine.
  const idpThread = spawnIdpThread();
  const [{ Engine }, { startConsole }] = await Promise.all([import('./engine/engine.ts'), import('./console/server.ts')]);
  // Signals are handled from the first moment: one that arrives while starting stops the engine
  // as soon as it is up, instead of killing it halfway through writing its files.
  let consoleServer: Awaited<ReturnType<typeof startConsole>> | undefined;
  let stopping = false;
  let started = false;
  // Called only once started, when `engine` below is set.
  async function shutdown(): Promise<void> {
    await consoleServer?.close();
    await engine.close();
    process.exit(0);
  }
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`portcullis: ${signal}: draining and saving sessions`);
    setTimeout(() => process.exit(1), 5_000).unref();
    if (started) void shutdown();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const engine = await Engine.start({ configFile: values.config && resolve(values.config), dataDir, log: (line) => console.error(line), idpThread });
  const consolePort = consolePortArg !== undefined ? Number(consolePortArg) : (engine.config.console?.port ?? 4100);
  try {
    consoleServer = await startConsole({ api: engine, host: '127.0.0.1', port: consolePort, rendererDir: join(ROOT, 'renderer', 'dist') });
  } catch (err) {
    console.error(`error: the console could not start on 127.0.0.1:${consolePort}: ${(err as Error).message}`);
  }
  started = true;
  if (stopping) return shutdown();

  for (const line of engine.readyLines()) console.log(line);
  if (consoleServer) console.log(`console ${consoleServer.url}`);
  console.log('portcullis ready');
  // Never the printed URL: the browser's arguments are readable by every user (docs/security.md).
  if (values.open && consoleServer) openInBrowser(consoleServer.openUrl());
}

async function check(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } }, strict: true });
  if (!values.config) throw new UsageError('check needs --config FILE');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.config, 'utf8'));
  } catch (err) {
    fail(`${values.config}: $: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON: ${(err as Error).message}`}`);
  }
  const { findPortsInUse, validateConfig, warningsFor } = await import('./engine/config/validate.ts');
  const { config, problems } = validateConfig(raw);
  if (config) problems.push(...(await findPortsInUse(config)));
  if (problems.length) {
    for (const p of problems) console.error(`${values.config}: ${p.path}: ${p.message}`);
    fail(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
  }
  for (const warning of warningsFor(config!)) console.error(`${values.config}: warning: ${warning}`);
  console.log(`${values.config}: OK`);
}

async function importCommand(argv: string[]): Promise<void> {
  const file = argv[0];
  if (!file || argv.length > 1) throw new UsageError('import needs exactly one FILE');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(`${file}: ${(err as Error).message}`);
  }
  const { importConfig } = await import('./engine/config/import.ts');
  const { config, warnings } = importConfig(text, file);
  for (const warning of warnings) console.error(`warning: ${warning}`);
  console.log(JSON.stringify(config, null, 2));
}

async function exportCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { upstream: { type: 'string' }, format: { type: 'string' }, config: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  if (!values.upstream || !values.format) throw new UsageError('export needs --upstream ID and --format FORMAT');
  const [{ exportUpstream }, { exportNotes }, { readSettings }] = await Promise.all([
    import('./engine/config/export.ts'),
    import('./engine/config/export-routing.ts'),
    import('./engine/config/settings-store.ts'),
  ]);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`unknown format "${values.format}"; use one of ${EXPORT_FORMATS.join(', ')}`);
  const config = await readSettings({ configFile: values.config, dataDir: values['data-dir'] ?? defaultDataDir() });
  if (!config.upstreams.some((u) => u.id === values.upstream)) {
    throw new UsageError(`no upstream with id "${values.upstream}"; defined: ${config.upstreams.map((u) => u.id).join(', ') || 'none'}`);
  }
  const output = exportUpstream(config, values.upstream, values.format as ExportFormat);
  console.log(output);
  // What the format cannot express is never dropped silently: the comments in the output, again on stderr.
  for (const note of exportNotes(output)) console.error(note);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case undefined:
      return launch();
    case 'serve':
      return serve(rest);
    case 'check':
      return check(rest);
    case 'import':
      return importCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) fail(`portcullis: ${(err as Error).message}\n${USAGE}`);
  const problems = (err as { problems?: Array<{ path: string; message: string }> }).problems;
  if (problems) fail(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  fail(`portcullis: ${(err as Error).message}`, 1);
});
