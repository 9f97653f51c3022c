/** Runs the real server entry point (`src/main.ts`) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');

export interface ServerProcess {
	child: ChildProcess;
	port: number;
	url: string;
	/** Log lines printed so far (JSON strings). */
	lines: string[];
	exited: Promise<number | null>;
}

export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
	const child = spawn(
		process.execPath,
		['--conditions=source', '--import', 'tsx', path.join(root, 'src/main.ts')],
		{
			cwd: root,
			env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', WEB_BUILD_DIR: '', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	const lines: string[] = [];
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`server did not start:\n${lines.join('\n')}`)),
			20_000
		);
		createInterface({ input: child.stdout! }).on('line', (line) => {
			lines.push(line);
			try {
				const entry = JSON.parse(line) as { msg?: string; port?: number };
				if (entry.msg === 'listening' && entry.port) {
					clearTimeout(timer);
					resolve(entry.port);
				}
			} catch {
				// not JSON: keep it for the error message
			}
		});
		createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
		void exited.then((code) => reject(new Error(`server exited (${code}):\n${lines.join('\n')}`)));
	});
	return { child, port, url: `http://127.0.0.1:${port}`, lines, exited };
}
