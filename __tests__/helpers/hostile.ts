/** Hostile inputs the tests share. */

/** Nine levels of nine aliases each: a few hundred bytes that expand to 9^9 strings. */
export function aliasBomb(indent: string): string {
  const lines = [`${indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let level = 1; level < 9; level++) {
    const from = String.fromCharCode(96 + level);
    const to = String.fromCharCode(97 + level);
    lines.push(`${indent}${to}: &${to} [${Array(9).fill(`*${from}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}
