// Sizes shared by the bench files and bench/report.ts.

/** Numbers drawn per iteration in every RNG bench. */
export const RNG_NUMBERS = 100_000;

/** Statements per iteration of the generation benches. */
export const GENERATE_COUNT = 4_000_000;
