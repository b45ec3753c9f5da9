/**
 * Quarry's version, as results and reports record it.
 *
 * @module
 */

/** The version of this build. */
export const QUARRY_VERSION = "0.1.0";
