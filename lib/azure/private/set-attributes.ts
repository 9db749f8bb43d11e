/**
 * The attributes of a resource that are set. A provider class synthesizes every attribute of its
 * schema, set or not, and cdktf resolves each one on every pass of a synth (the unset ones are
 * dropped only when the JSON is written): for the resources the platform makes per tenant, the
 * unset attributes were most of the work. The Terraform JSON is the same.
 */
export function setAttributesOnly(attributes: { [name: string]: unknown }): { [name: string]: unknown } {
  const set: { [name: string]: unknown } = {};
  for (const name of Object.keys(attributes))
    if (attributes[name] !== undefined) set[name] = attributes[name];
  return set;
}
