/** The stylesheet's --brand colour: the web app manifest's theme colour and the app icons' background. */
export function brandColour(css: string): string {
  return /--brand:\s*(#[0-9a-fA-F]{6})\b/.exec(css)?.[1] ?? '#0b5394';
}
