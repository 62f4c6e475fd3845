/** Interface definitions are bundled as text (esbuild loader '.varlink': 'text' in scripts/build.mjs). */
declare module '*.varlink' {
  const text: string;
  export default text;
}
