/**
 * Splits template text into literal pieces and `{name}` placeholders.
 *
 * @module
 */

/** A piece of a template: literal text or a placeholder name. */
export type TemplatePiece = { text: string } | { name: string };

/**
 * Parses `text`; `{{` and `}}` are literal braces.
 *
 * @returns The pieces, or a string saying what is wrong.
 * @example
 * ```ts
 * import { parseTemplate } from "./template.ts";
 * const p = parseTemplate("SELECT {cols} FROM t");
 * if (Array.isArray(p) && p.length !== 3) throw new Error();
 * ```
 */
export function parseTemplate(text: string): TemplatePiece[] | string {
  const pieces: TemplatePiece[] = [];
  let lit = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "{" && text[i + 1] === "{") {
      lit += "{";
      i++;
    } else if (c === "}" && text[i + 1] === "}") {
      lit += "}";
      i++;
    } else if (c === "{") {
      const end = text.indexOf("}", i);
      if (end < 0) return `unclosed "{" at offset ${i} of template "${text}"`;
      const name = text.slice(i + 1, end).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        return `bad placeholder "{${name}}" in template "${text}" (write {{ for a literal brace)`;
      }
      if (lit) pieces.push({ text: lit });
      lit = "";
      pieces.push({ name });
      i = end;
    } else if (c === "}") {
      return `stray "}" at offset ${i} of template "${text}" (write }} for a literal brace)`;
    } else lit += c;
  }
  if (lit) pieces.push({ text: lit });
  return pieces;
}
