/**
 * Kubernetes manifests checked as the API server would check them, for the deploy tests.
 *
 * Two npm packages generated from the Kubernetes OpenAPI specification do the work:
 *
 * - `kubernetes-models` validates an object against the API's JSON schema (compiled with Ajv): types,
 *   required fields, enumerations, and formats such as resource quantities and int32;
 * - `@kubernetes/client-node`'s models list every field each API type has. The schema alone accepts
 *   fields it does not know (it has no `additionalProperties: false`), while the API server rejects
 *   them under strict field validation, `kubectl`'s default since 1.27; a misspelt field
 *   (`completionsMode`) would otherwise pass. {@link unknownFields} walks the object through those
 *   field lists.
 *
 * @module
 */
import * as k8s from "@kubernetes/client-node";
import { Job } from "kubernetes-models/batch/v1";
import { PersistentVolumeClaim, Pod } from "kubernetes-models/v1";
import { parseAllDocuments } from "yaml";

/** A model of `kubernetes-models`: constructed from an object, `validate()` throws on a schema error. */
type SchemaModel = new (data: never) => { validate(): void };

/** The kinds the deploy manifests use, by `apiVersion kind`. */
const MODELS: Record<string, SchemaModel> = {
  "batch/v1 Job": Job as unknown as SchemaModel,
  "v1 Pod": Pod as unknown as SchemaModel,
  "v1 PersistentVolumeClaim": PersistentVolumeClaim as unknown as SchemaModel,
};

/** One field of a client-node model. */
interface Attribute {
  baseName: string;
  type: string;
}

/** The field list of the client-node model named `type` (`V1JobSpec`), if it is a model. */
function attributes(type: string): Attribute[] | undefined {
  const model = (k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] }>)[type];
  return typeof model?.getAttributeTypeMap === "function" ? model.getAttributeTypeMap() : undefined;
}

/**
 * The paths of the fields in `value` that the API type `type` does not have.
 *
 * @param value A manifest, or part of one.
 * @param type A client-node type name: `V1Job`, `Array<V1Container>`, `{ [key: string]: string; }`.
 * @param path Where `value` sits, for the messages.
 * @returns Paths such as `spec.completionsMode`; empty when every field is known.
 */
export function unknownFields(value: unknown, type: string, path = ""): string[] {
  if (value === null || typeof value !== "object") return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1]!, `${path}[${i}]`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1]!, `${path}.${k}`));
  }
  const fields = attributes(type);
  if (!fields || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const field = fields.find((f) => f.baseName === k);
    const at = path ? `${path}.${k}` : k;
    return field ? unknownFields(v, field.type, at) : [at];
  });
}

/**
 * What the API server would reject in one manifest: schema errors, then unknown fields.
 *
 * @param doc A parsed manifest.
 * @returns One message per problem; empty for a valid manifest.
 */
export function manifestErrors(doc: unknown): string[] {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return ["a manifest must be an object"];
  const { apiVersion, kind } = doc as { apiVersion?: unknown; kind?: unknown };
  const Model = MODELS[`${apiVersion} ${kind}`];
  if (!Model || typeof apiVersion !== "string" || typeof kind !== "string") {
    return [`no schema here for apiVersion "${apiVersion}" kind "${kind}"`];
  }
  const errors: string[] = [];
  try {
    new Model(doc as never).validate();
  } catch (e) {
    errors.push(...(e as Error).message.split(/, (?=data)/));
  }
  // batch/v1 Job → V1Job, v1 Pod → V1Pod.
  const version = apiVersion.split("/").pop()!;
  const type = `${version[0]!.toUpperCase()}${version.slice(1)}${kind}`;
  errors.push(...unknownFields(doc, type).map((p) => `${p}: unknown field (the API server rejects it)`));
  return errors;
}

/**
 * The manifests of a YAML file, one per document.
 *
 * @param text The file's text.
 * @returns The documents as plain objects.
 * @throws {SyntaxError} When a document does not parse.
 */
export function parseManifests(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new SyntaxError(d.errors[0]!.message);
    return d.toJS() as Record<string, unknown>;
  });
}
