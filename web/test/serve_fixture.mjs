// The browser tests' fixture: a small generated Home Credit data set (2,000 clients), its
// features and one XGBoost model registered as the champion (one trial), made with the credo
// binary under test; and `credo serve` started on a free loopback port (--port 0, the port read
// from what it prints), as an officer's service would run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

export function prepareStore(credo, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, CREDO_STORE: join(dir, 'store'), OMP_WAIT_POLICY: 'passive' };
  const run = (...args) => execFileSync(credo, args, { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run('synth', '--clients', '2000', '--seed', '7', '--out', 'data');
  run('features', '--data', 'data', '--out', 'features.credo', '--experiment', 'web');
  run('train', '--features', 'features.credo', '--experiment', 'web', '--algorithms', 'xgboost', '--imbalance',
      'class_weights', '--trials', '1', '--refine-trials', '0', '--folds', '2', '--threads', '2', '-q');
  // The known clients' ids, from the generated application table's first column.
  const lines = readFileSync(join(dir, 'data', 'application_train.csv'), 'utf8').split('\n');
  const ids = lines.slice(1).filter((line) => line).map((line) => line.slice(0, line.indexOf(',')));
  return { store: join(dir, 'store'), ids };
}

// A token file with one read token (0600, as credo serve requires).
export function writeTokenFile(dir, token) {
  const file = join(dir, 'tokens.txt');
  writeFileSync(file, `read ${token} dashboard test\n`);
  chmodSync(file, 0o600);
  return file;
}

// Starts `credo serve`; resolves with {url, stop} once it listens.
export function startServe(credo, store, extraArgs = []) {
  const child = spawn(credo, ['serve', '--store', store, '--port', '0', '--reload-interval', '0', ...extraArgs],
                      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OMP_WAIT_POLICY: 'passive' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`credo serve did not listen within 30 s:\n${output}`)), 30000);
    const read = (chunk) => {
      output += chunk;
      const match = output.match(/listening on\s+(http:\/\/[0-9.]+:[0-9]+)/);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        output: () => output,
        stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }),
      });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`credo serve exited (${code}):\n${output}`)); });
  });
}
