export function oracleCommand(_: string[]): Promise<number> { return Promise.resolve(0); }
