// esbuild bundles the page's stylesheet to dist/webview.css when main.ts imports it.
declare module '*.css';
