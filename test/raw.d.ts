/** A file's text, imported with Vite's `?raw` suffix (test/static-assets.test.ts compares served assets with their sources). */
declare module '*?raw' {
  const text: string;
  export default text;
}
