#!/usr/bin/env node
// Runs the pinned pnpm (12.4.2) with the given arguments, so that a machine
// with only Node and npm can use the README's commands. Uses a global pnpm
// when it is exactly the pinned version, otherwise `npx -y pnpm@12.4.2`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PINNED = '12.4.2';
const args = process.argv.slice(2);

function hasPinnedPnpm() {
	const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
	return probe.status === 0 && probe.stdout.trim() === PINNED;
}

const [cmd, cmdArgs] = hasPinnedPnpm()
	? ['pnpm', args]
	: ['npx', ['-y', `pnpm@${PINNED}`, ...args]];
// better-sqlite3 is compiled from source when no prebuilt binary can be
// fetched; node-gyp would then download Node's headers. Point it at the
// headers installed with Node instead (npm's own `nodedir` setting is not
// read by pnpm).
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node_version.h')) {
	env.npm_config_nodedir = '/usr';
}
const run = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: false, env });
process.exit(run.status ?? 1);
