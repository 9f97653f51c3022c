/**
 * Starts the real Kipinä server (apps/server/dist/main.js, which serves this
 * app's build) on a free port with a fresh data folder, and tells the tests
 * its address through process.env.KIPINA_BASE_URL. Returns the teardown.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const WEB = path.resolve(import.meta.dirname, '..');
const SERVER = path.resolve(WEB, '../server/dist/main.js');
const HANDLER = path.resolve(WEB, 'build/handler.js');
const START_TIMEOUT_MS = 20_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
	for (const [file, build] of [
		[SERVER, 'pnpm --filter @kipina/server build'],
		[HANDLER, 'pnpm --filter @kipina/web build']
	] as const) {
		if (!existsSync(file)) throw new Error(`${file} is missing; run \`${build}\` first.`);
	}

	const dataDir = mkdtempSync(path.join(tmpdir(), 'kipina-e2e-'));
	const server = spawn(process.execPath, [SERVER], {
		cwd: path.dirname(SERVER),
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const stderr: string[] = [];
	server.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));

	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`server did not report "listening" in time\n${stderr.join('')}`)),
			START_TIMEOUT_MS
		);
		server.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with code ${code}\n${stderr.join('')}`));
		});
		// pino writes one JSON object per line; the "listening" line carries the port.
		createInterface({ input: server.stdout }).on('line', (line) => {
			let entry: { msg?: unknown; port?: unknown };
			try {
				entry = JSON.parse(line) as typeof entry;
			} catch {
				return;
			}
			if (entry.msg === 'listening' && typeof entry.port === 'number') {
				clearTimeout(timer);
				resolve(entry.port);
			}
		});
	});

	process.env.KIPINA_BASE_URL = `http://127.0.0.1:${port}`;
	process.env.KIPINA_DATA_DIR = dataDir;

	return async () => {
		if (server.exitCode === null) {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			server.kill('SIGTERM');
			await exited;
		}
		rmSync(dataDir, { recursive: true, force: true });
	};
}
