/**
 * Templates over one column reference: `overColumn(c)` gives a function that
 * builds templates whose `{c}` placeholder is that column, so a family of
 * function calls over the same column reads as a list of SQL texts.
 *
 * @module
 */
import { type Element, template } from "../../core/dsl/grammar.ts";

/** A template over the column reference `{c}` and more parts. */
export const overColumn = (c: Element) => (text: string, parts: Record<string, Element> = {}): Element =>
  template(text, { c, ...parts });
