#!/usr/bin/env node
// The browser tests drive Debian's Chromium (never a downloaded browser).
// Installs it with apt when it is missing and we may (root on Debian);
// otherwise explains what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
	console.error(
		`Chromium is needed for the browser tests but ${CHROMIUM} does not exist.\n` +
			'Install it with your package manager (Debian/Ubuntu: sudo apt-get install -y chromium),\n' +
			'or set CHROMIUM_PATH to a Chromium or Chrome binary.'
	);
	process.exit(1);
}

console.log('Installing Chromium for the browser tests (apt-get install chromium)…');
const run = (args) => {
	const r = spawnSync('apt-get', args, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['update']);
run(['install', '-y', '--no-install-recommends', 'chromium']);
