/**
 * JSON exactly as PostgreSQL stored it, as text (db/json-text.ts reads it so): an answer that
 * only passes a stored document on splices it in unparsed (http/json-text.ts).
 */
export type JsonText = string & { readonly __jsonText: true };
