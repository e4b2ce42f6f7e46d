// Typechecks generated k6 scripts against k6's published types (npm @types/k6), in process, with the
// runtime k6 gives a script (ES2020, no DOM, no Node).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Diagnostics as "file:line: message" lines; empty when the scripts typecheck. */
export function typecheckK6Scripts(files: string[]): string[] {
  const k6Types = join(repoRoot, 'node_modules', '@types', 'k6');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2020.d.ts'],
    types: [],
    baseUrl: repoRoot,
    paths: { k6: [join(k6Types, 'index.d.ts')], 'k6/*': [join(k6Types, '*', 'index.d.ts')] },
    allowImportingTsExtensions: true,
    skipLibCheck: false,
  };
  const program = ts.createProgram([...files, join(k6Types, 'global.d.ts')], options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
