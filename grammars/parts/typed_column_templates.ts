/**
 * Templates over one column of the table bound to `a`: `overTypedColumn(col)`
 * gives a function that builds templates whose `{c}` is `a.<col>` and whose
 * `{v}` is a typed literal of the column's type, each filled in only where
 * the text uses it.
 *
 * @module
 */
import { type Element, template } from "../../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./columns.ts";

/** A template over the column reference `{c}` (and `{v}`, a typed literal of its type) and more parts. */
export const overTypedColumn =
  (col: string) => (text: string, parts: Record<string, Element> = {}): Element => {
    const all: Record<string, Element> = { ...parts };
    if (text.includes("{c}")) all.c = qualified("a", col);
    if (text.includes("{v}")) all.v = typedLiteral(col);
    return template(text, all);
  };
