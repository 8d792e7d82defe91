/**
 * Builds the add-in into dist/addin: the task pane, the commands page (no React) and the
 * standalone page, the icons, and manifest.xml rewritten for where it will be hosted.
 *
 *   ADDIN_ORIGIN=https://tls.example.com npm run build
 *
 * replaces the development origin https://localhost:3000 in every manifest URL.
 */
const fs = require('node:fs');
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const { EsbuildPlugin } = require('esbuild-loader');

const DEVELOPMENT_ORIGIN = 'https://localhost:3000';
/** Chromium (Edge WebView2, new Outlook, OWA) and Safari 14+ (Outlook for Mac) run ES2020. */
const BROWSER_TARGET = 'es2020';

/** Copies the icons and writes manifest.xml with the configured origin. */
class AddinFilesPlugin {
  constructor(origin) {
    this.origin = origin;
  }

  apply(compiler) {
    const { RawSource } = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap('AddinFilesPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        {
          name: 'AddinFilesPlugin',
          stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL,
        },
        () => {
          const icons = path.join(__dirname, 'assets/icons');
          for (const name of fs.readdirSync(icons).filter((file) => file.endsWith('.png'))) {
            const file = path.join(icons, name);
            compilation.fileDependencies.add(file);
            compilation.emitAsset(`assets/${name}`, new RawSource(fs.readFileSync(file)));
          }
          const manifestFile = path.join(__dirname, 'manifest.xml');
          compilation.fileDependencies.add(manifestFile);
          const manifest = fs
            .readFileSync(manifestFile, 'utf8')
            .split(DEVELOPMENT_ORIGIN)
            .join(this.origin);
          compilation.emitAsset('manifest.xml', new RawSource(manifest));
        },
      );
    });
  }
}

function addinOrigin() {
  const origin = process.env.ADDIN_ORIGIN ?? DEVELOPMENT_ORIGIN;
  const url = new URL(origin);
  // Outlook loads add-ins over HTTPS only; a path or trailing slash would break every URL.
  if (url.protocol !== 'https:' || url.origin !== origin.replace(/\/$/, '')) {
    throw new Error(
      `ADDIN_ORIGIN must be an https origin such as https://tls.example.com, not "${origin}".`,
    );
  }
  return url.origin;
}

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  const page = (name, chunk) =>
    new HtmlWebpackPlugin({
      filename: `${name}.html`,
      template: path.join(__dirname, `src/addin/pages/${name}.html`),
      chunks: [chunk],
      scriptLoading: 'defer',
      minify: production,
    });
  return {
    mode: production ? 'production' : 'development',
    entry: {
      taskpane: './src/addin/taskpane/index.tsx',
      commands: './src/addin/commands/commands.ts',
      standalone: './src/addin/standalone/index.tsx',
    },
    output: {
      path: path.join(__dirname, 'dist/addin'),
      filename: '[name].[contenthash:8].js',
      clean: true,
    },
    resolve: { extensions: ['.tsx', '.ts', '.js'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          loader: 'esbuild-loader',
          options: { target: BROWSER_TARGET, jsx: 'automatic' },
        },
      ],
    },
    optimization: { minimizer: [new EsbuildPlugin({ target: BROWSER_TARGET })] },
    plugins: [
      page('taskpane', 'taskpane'),
      page('commands', 'commands'),
      page('standalone', 'standalone'),
      new HtmlWebpackPlugin({
        filename: 'support.html',
        template: path.join(__dirname, 'src/addin/pages/support.html'),
        chunks: [],
        minify: production,
      }),
      new AddinFilesPlugin(addinOrigin()),
    ],
    devtool: production ? 'source-map' : 'eval-cheap-module-source-map',
    // Sizes are measured and budgeted by test/bench/addin-size.ts, against gzip, not raw bytes.
    performance: { hints: false },
  };
};
