import { grammar, number, template } from "quarry";
// bench/uniqueness_scale.sh: 1e9 distinct statements; 100M draws repeat about 5M times.
export default grammar("repeat1e9").rule("q", template("SELECT {n}", { n: number(1, 1000000000) }));
