// One ESM file from a TypeScript entry point (the Harbor double, the fixture scanner), for an image
// that has only the Node binary: every npm dependency is inlined.
import { build } from 'esbuild';
import { EnvironmentError } from '../../environment.ts';

// CommonJS dependencies call require(); an ESM bundle has to provide it.
const REQUIRE_SHIM =
  "import { createRequire as __hcCreateRequire } from 'node:module'; const require = __hcCreateRequire(import.meta.url);";

export async function bundleEntry(entryPoint: string): Promise<Uint8Array> {
  try {
    const result = await build({
      entryPoints: [entryPoint],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      write: false,
      outfile: 'main.mjs',
      banner: { js: REQUIRE_SHIM },
      // optional native accelerators that the pure-JS packages fall back from
      external: ['pg-native', 'cpu-features', 'ssh2'],
      logLevel: 'silent',
      legalComments: 'none',
    });
    const output = result.outputFiles[0];
    if (!output) throw new Error('esbuild produced no output');
    return output.contents;
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> })
      .errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    const message = first ? `${first.text}${where}` : error instanceof Error ? error.message : String(error);
    throw new EnvironmentError(`cannot bundle ${entryPoint}: ${message}; fix the code and retry`);
  }
}
