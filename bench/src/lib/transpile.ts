/**
 * Transpiles the bench's modules (`src/cli.ts` and the folders beside it) to
 * plain JavaScript under the folder given as the first argument, same
 * layout, so that relative imports and package resolution work unchanged.
 * The load generator (bin/bench.mjs) and the server children then run on
 * plain Node. Run in its own process: the TypeScript compiler adds ~16 MB to
 * a heap, which would lengthen the load generator's GC pauses.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const out = process.argv[2];
if (!out) throw new Error('usage: transpile.ts <out-dir>');
const src = path.resolve(import.meta.dirname, '..');
// Nothing stale survives (a module deleted from src/ must not stay importable).
fs.rmSync(out, { recursive: true, force: true });
// Transpiling resolves nothing, so whole folders are cheap and safe.
const files = ['servers', 'lib', 'scenarios']
	.flatMap((dir) => fs.readdirSync(path.join(src, dir)).map((f) => `${dir}/${f}`))
	.concat('cli.ts')
	.filter((f) => f.endsWith('.ts'));
for (const file of files) {
	const { outputText } = ts.transpileModule(fs.readFileSync(path.join(src, file), 'utf8'), {
		fileName: file,
		compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
	});
	const target = path.join(out, file.replace(/\.ts$/, '.js'));
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.writeFileSync(target, outputText);
}
fs.writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
