/**
 * Regenerates `configs/vocabularies.json` from @faker-js/faker's English
 * locale with a fixed seed. Entries are kept only when they are printable
 * ASCII without quotes or backslashes, so the VM can put them inside SQL and
 * JSON strings as they are and truncate them at any byte.
 *
 * Usage: `deno task vocab:build`
 *
 * @module
 */
import { faker } from "@faker-js/faker";

const SAFE = /^[A-Za-z0-9 .,@&:\/+-]+$/;
const SIZE = 400;

function collect(make: () => string, size = SIZE): string[] {
  const seen = new Set<string>();
  for (let tries = 0; seen.size < size && tries < size * 50; tries++) {
    const v = make();
    if (SAFE.test(v) && v.length <= 60) seen.add(v);
  }
  return [...seen].sort();
}

faker.seed(20261122);
const vocabularies: Record<string, string[]> = {
  first_name: collect(() => faker.person.firstName()),
  last_name: collect(() => faker.person.lastName()),
  full_name: collect(() => faker.person.fullName()),
  email: collect(() => faker.internet.email().toLowerCase()),
  city: collect(() => faker.location.city()),
  country_code: collect(() => faker.location.countryCode("alpha-2"), 240),
  street: collect(() => faker.location.streetAddress()),
  company: collect(() => faker.company.name()),
  product: collect(() => faker.commerce.productName()),
  category: collect(() => faker.commerce.department(), 22),
  word: collect(() => faker.word.noun()),
  sentence: collect(() => faker.lorem.sentence({ min: 3, max: 8 })),
  json_key: collect(() => faker.word.noun({ length: { min: 3, max: 8 } }), 60),
  order_status: ["cancelled", "delivered", "paid", "pending", "refunded", "shipped"],
};

const target = new URL("../../configs/vocabularies.json", import.meta.url);
await Deno.writeTextFile(target, JSON.stringify(vocabularies, null, 1) + "\n");
console.error(
  `wrote ${target.pathname}: ${Object.entries(vocabularies).map(([k, v]) => `${k}=${v.length}`).join(" ")}`,
);
