/**
 * Transpiles the server child's modules (`src/servers`, `src/lib`) to plain
 * JavaScript under the folder given as the first argument, same layout, so
 * that relative imports and package resolution work unchanged. Run in its
 * own process (see proc.ts): the TypeScript compiler adds ~16 MB to a heap,
 * which would lengthen the load generator's GC pauses.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const out = process.argv[2];
if (!out) throw new Error('usage: transpile.ts <out-dir>');
const src = path.resolve(import.meta.dirname, '..');
// Transpiling resolves nothing, so the whole of both folders is cheap and safe.
const files = ['servers', 'lib']
	.flatMap((dir) => fs.readdirSync(path.join(src, dir)).map((f) => `${dir}/${f}`))
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
