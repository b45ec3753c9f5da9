/**
 * Throwaway PostgreSQL databases for tests: a unique name, dropped after
 * use. Only ever touches databases it created.
 *
 * @module
 */
import postgres from "postgres";

/** The server tests use; override with QUARRY_TEST_PG (a URL without database). */
export const TEST_SERVER = Deno.env.get("QUARRY_TEST_PG") ?? "postgres://postgres@127.0.0.1:5432";

/** Creates a database, passes its URL to `fn`, then drops it. */
export async function withTempDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `quarry_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(`${TEST_SERVER}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    try {
      return await fn(`${TEST_SERVER}/${name}`);
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
