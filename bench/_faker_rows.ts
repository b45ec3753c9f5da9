/**
 * The baseline of bench/data_rows.ts: the same six columns as
 * bench/_quarry_rows.ts, written row by row with @faker-js/faker the way a
 * careful script would — a seeded faker, the email built from the row's own
 * names, CSV quoting only where a value needs it, and lines joined 10,000 at a
 * time into one write.
 *
 * Prints one JSON line: rows, bytes and the milliseconds from the first row
 * to the last write (module loading left out).
 *
 *   deno run --allow-write=/dev/null bench/_faker_rows.ts 1000000 /dev/null
 *
 * @module
 */
import { faker } from "@faker-js/faker";

const BATCH = 10_000;
const FROM = new Date("2020-01-01T00:00:00Z");
const TO = new Date("2024-12-31T00:00:00Z");

/** A CSV field: quoted only when it holds a comma, quote or line break. */
const csv = (s: string) => /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;

/** One row: id, full_name, email (from the names), age, balance, joined. */
function row(): string {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const fullName = faker.person.fullName({ firstName, lastName });
  const email = faker.internet.email({ firstName, lastName });
  const age = faker.number.int({ min: 18, max: 90 });
  const balance = faker.number.float({ min: 0, max: 10000, fractionDigits: 2 });
  const joined = faker.date.between({ from: FROM, to: TO }).toISOString().slice(0, 10);
  return `${faker.string.uuid()},${csv(fullName)},${csv(email)},${age},${balance.toFixed(2)},${joined}`;
}

/**
 * Writes `rows` faker rows (with a header) to `path`.
 *
 * Requires `--allow-write` for `path`.
 */
export async function fakerRows(
  rows: number,
  path: string,
): Promise<{ rows: number; bytes: number; ms: number }> {
  faker.seed(42);
  const encoder = new TextEncoder();
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const t0 = performance.now();
    let bytes = 0;
    const put = async (text: string) => {
      const b = encoder.encode(text);
      bytes += b.length;
      for (let at = 0; at < b.length;) at += await file.write(b.subarray(at));
    };
    await put("id,full_name,email,age,balance,joined\n");
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      lines.push(row());
      if (lines.length === BATCH || i === rows - 1) {
        await put(lines.join("\n") + "\n");
        lines.length = 0;
      }
    }
    return { rows, bytes, ms: performance.now() - t0 };
  } finally {
    file.close();
  }
}

if (import.meta.main) {
  const [rows = "100000", path = "/dev/null"] = Deno.args;
  console.log(JSON.stringify(await fakerRows(Number(rows), path)));
}
