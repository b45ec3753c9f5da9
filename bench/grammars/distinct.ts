import { grammar, template, unique } from "quarry";
// bench/uniqueness_scale.sh: every index gives a different statement, so every
// rejection by the Bloom filter is a false positive.
export default grammar("distinct").rule("q", template("SELECT {u}", { u: unique() }));
