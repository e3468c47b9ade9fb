#!/usr/bin/env node
/**
 * A model-switch script for tests, shaped like the one an A30 host would have: it stops the
 * model server it started last (pid file), starts a scripted model server serving one model
 * on the port in the background, and exits 0 while the new server is still loading.
 *
 *   node switch-scripted-model.ts <state dir> <port> <served name>=<profile> [--load-ms N]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../core/project-root.ts';

const [stateDir, port, served, ...rest] = process.argv.slice(2);
if (stateDir === undefined || port === undefined || served === undefined) {
  process.stderr.write('usage: switch-scripted-model.ts <state dir> <port> <name>=<profile> [--load-ms N]\n');
  process.exit(2);
}
const loadMs = rest[0] === '--load-ms' ? Number(rest[1] ?? '0') : 0;
const projectRoot = PROJECT_ROOT;
mkdirSync(stateDir, { recursive: true });
const pidFile = path.join(stateDir, 'server.pid');

if (existsSync(pidFile)) {
  const previous = Number(readFileSync(pidFile, 'utf8'));
  if (isAlive(previous)) {
    process.kill(previous, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (isAlive(previous) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// "Loading the weights": the new server only starts listening after loadMs.
const child = spawn(
  process.execPath,
  [
    '-e',
    `setTimeout(() => import(${JSON.stringify(path.join(projectRoot, 'runners/endpoints/scripted-model/scripted-model-cli.ts'))}), ${loadMs})`,
    '--',
    '--port',
    port,
    '--served-model-name',
    served,
    '--scenarios',
    path.join(projectRoot, 'scenarios'),
  ],
  { detached: true, stdio: 'ignore' },
);
child.unref();
writeFileSync(pidFile, String(child.pid));
process.stdout.write(`switching to ${served} on port ${port} (pid ${child.pid})\n`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
