/**
 * Jest runs CommonJS; jose ships only ES modules (Node itself loads them with require(esm)).
 * This transform rewrites those files to CommonJS with esbuild, which the build already uses.
 */
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'external',
    });
    return { code, map };
  },
};
