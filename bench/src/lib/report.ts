/** Side-by-side tables (one column per server, ratios ours/peer) and raw JSON results. */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './proc.js';

export const SERVER_LABEL: Record<string, string> = {
	kipina: 'Kipinä',
	yws: 'y-websocket 2.1.0 + LevelDB',
	hp3: 'Hocuspocus 3.4.4 + SQLite',
	hp4: 'Hocuspocus 4.7.0 + SQLite',
	relay: 'plain relay (no Yjs)'
};

export function machine(): Record<string, unknown> {
	const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
	const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown';
	let commit = 'unknown';
	try {
		commit = execSync('git rev-parse --short HEAD', { cwd: BENCH_DIR }).toString().trim();
	} catch {
		// not a checkout
	}
	return {
		date: new Date().toISOString(),
		nproc: os.cpus().length,
		cpuModel: model,
		memGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		platform: `${os.type()} ${os.release()}`,
		commit
	};
}

export type Row = Record<string, number | string | boolean | null | undefined>;

function fmt(v: unknown): string {
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) return '–';
		const a = Math.abs(v);
		if (a >= 1000) return v.toFixed(0);
		if (a >= 100) return v.toFixed(1);
		if (a >= 1) return v.toFixed(2);
		return v.toFixed(3);
	}
	if (typeof v === 'boolean') return v ? 'yes' : 'NO';
	return v === undefined || v === null ? '–' : String(v);
}

/**
 * Prints one markdown table: a row per metric, a column per server, then
 * Kipinä ÷ peer for each peer (numbers only; < 1 is better for times, bytes
 * and CPU).
 */
export function sideBySide(
	title: string,
	byServer: Record<string, Row>,
	metrics: { key: string; label: string }[]
): string {
	const servers = Object.keys(byServer);
	const peers = servers.filter((s) => s !== 'kipina');
	const ours = byServer.kipina;
	const head = [
		'metric',
		...servers.map((s) => SERVER_LABEL[s] ?? s),
		...(ours ? peers.map((p) => `Kipinä ÷ ${p}`) : [])
	];
	const lines = [
		`### ${title}`,
		'',
		`| ${head.join(' | ')} |`,
		`|${head.map(() => '---').join('|')}|`
	];
	for (const { key, label } of metrics) {
		const cells = servers.map((s) => fmt(byServer[s]?.[key]));
		const ratios = ours
			? peers.map((p) => {
					const a = ours[key];
					const b = byServer[p]?.[key];
					return typeof a === 'number' && typeof b === 'number' && b !== 0 ? fmt(a / b) : '–';
				})
			: [];
		lines.push(`| ${[label, ...cells, ...ratios].join(' | ')} |`);
	}
	return lines.join('\n') + '\n';
}

export function writeResult(scenario: string, data: unknown): string {
	const dir = path.join(BENCH_DIR, 'results');
	fs.mkdirSync(dir, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const file = path.join(dir, `${scenario}-${stamp}.json`);
	fs.writeFileSync(
		file,
		JSON.stringify({ scenario, machine: machine(), ...(data as object) }, null, '\t')
	);
	return file;
}
