/**
 * The client side of SCRAM-SHA-256 authentication (RFC 5802, RFC 7677) for
 * the wire client (wire.ts), without channel binding.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { WireError } from "./wire_messages.ts";

/** The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677), without channel binding. */
export class Scram {
  readonly #nonce = randomBytes(18).toString("base64");
  #clientFirstBare = "";
  #serverSignature = "";

  constructor(readonly password: string) {}

  clientFirst(): string {
    this.#clientFirstBare = `n=,r=${this.#nonce}`;
    return `n,,${this.#clientFirstBare}`;
  }

  clientFinal(serverFirst: string): string {
    const attrs = Object.fromEntries(serverFirst.split(",").map((kv) => [kv[0], kv.slice(2)]));
    const nonce = attrs.r ?? "";
    if (!nonce.startsWith(this.#nonce)) {
      throw new WireError("28000", "SCRAM: the server's nonce does not extend ours");
    }
    const salted = pbkdf2Sync(
      this.password,
      Buffer.from(attrs.s ?? "", "base64"),
      Number(attrs.i),
      32,
      "sha256",
    );
    const clientKey = createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = createHash("sha256").update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac("sha256", storedKey).update(authMessage).digest();
    const proof = clientKey.map((b: number, i: number) => b ^ signature[i]!);
    const serverKey = createHmac("sha256", salted).update("Server Key").digest();
    this.#serverSignature = createHmac("sha256", serverKey).update(authMessage).digest("base64");
    return `${withoutProof},p=${Buffer.from(proof).toString("base64")}`;
  }

  verify(serverFinal: string): void {
    if (serverFinal !== `v=${this.#serverSignature}`) {
      throw new WireError("28000", "SCRAM: the server's signature does not match");
    }
  }
}
