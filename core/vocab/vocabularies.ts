/**
 * Word lists for realistic text values, generated once from
 * @faker-js/faker by `core/vocab/build.ts` and shipped as JSON.
 *
 * @module
 */
import data from "../../configs/vocabularies.json" with { type: "json" };

const vocabularies: Record<string, readonly string[]> = data;

/** Names of the shipped vocabularies. */
export function vocabularyNames(): string[] {
  return Object.keys(vocabularies);
}

/** The entries of a vocabulary; throws RangeError for an unknown name. */
export function vocabulary(name: string): readonly string[] {
  const v = vocabularies[name];
  if (!v) throw new RangeError(`Unknown vocabulary "${name}" (known: ${vocabularyNames().join(", ")})`);
  return v;
}
