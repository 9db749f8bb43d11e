import { z } from 'zod';
import {
  checkIpv4Cidr,
  isDns1035Label,
  isDnsLabel,
  isLabelKey,
  isLabelValue,
  isUuid,
  parseQuantity,
} from '../formats';

/** A DNS label of at most `max` characters. */
export function dnsLabel(max = 63) {
  return z
    .string()
    .refine(
      (v) => isDnsLabel(v, max),
      `must be a DNS label: lowercase letters, digits and '-', at most ${max} characters`,
    );
}

/** An RFC 1035 label (starts with a letter) of at most `max` characters. */
export function dns1035Label(max = 63) {
  return z
    .string()
    .refine(
      (v) => isDns1035Label(v, max),
      `must be a DNS label starting with a letter: lowercase letters, digits and '-', at most ${max} characters`,
    );
}

/** Key of an entry of `groups`: referenced from admins, capsule.users and tenants[].owners. */
export const groupKey = z
  .string()
  .refine(
    (v) => /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/.test(v),
    "must be a group key: lowercase letters, digits and '-', starting with a letter, at most 40 characters",
  );

/** An Entra ID object id. Normalised to lowercase. */
export const uuid = z
  .string()
  .refine(isUuid, 'must be an object id (UUID, e.g. 0fd5e5bb-39bb-468c-b343-dcdfb01e92d0)')
  .refine(
    (v) => v !== '00000000-0000-0000-0000-000000000000',
    'is the nil UUID, a placeholder: no Entra object has it',
  )
  .transform((v) => v.toLowerCase());

/** A non-negative Kubernetes quantity, written as a string or a number. */
export const quantity = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine(
    (v) => parseQuantity(v) !== undefined,
    'must be a Kubernetes quantity (e.g. "500m", "2", "512Mi", "16Gi")',
  );

export const ipv4Cidr = z.string().superRefine((v, ctx) => {
  const result = checkIpv4Cidr(v);
  if (result === 'syntax')
    ctx.addIssue({ code: 'custom', message: 'must be an IPv4 range in CIDR notation (e.g. 203.0.113.0/24)' });
  if (result === 'host-bits')
    ctx.addIssue({
      code: 'custom',
      message: 'has host bits set: write the network address of the range (e.g. 203.0.113.0/24)',
    });
});

export const labels = z.record(
  z
    .string()
    .refine(
      isLabelKey,
      'must be a Kubernetes label key (optional DNS prefix, "/", a name of at most 63 characters)',
    ),
  z
    .string()
    .refine(isLabelValue, 'must be a Kubernetes label value (at most 63 letters, digits, "-", "_", ".")'),
);

export const positiveInt = z.number().int('must be a whole number').min(1, 'must be at least 1');

/**
 * Free text that reaches the Terraform configuration. Terraform evaluates `${…}` and `%{…}` in
 * every string it reads, so such text would run as an expression on the deploying machine
 * (`${file("/etc/passwd")}`); the platform file is data, never Terraform code.
 */
export function terraformText(schema: z.ZodString) {
  return schema.refine(
    (v) => !/[$%]\{/.test(v),
    'must not contain "${" or "%{": Terraform would evaluate it as an expression (the platform file is data, not Terraform code)',
  );
}

/**
 * The first tenant of each name, as `tenants.find((t) => t.name === name)` gives it: checks that
 * look a tenant up for each workload stay linear on platforms of thousands of tenants.
 */
export function firstTenantByName<T extends { readonly name: string }>(
  tenants: readonly T[],
): Map<string, T> {
  const byName = new Map<string, T>();
  for (const t of tenants) if (!byName.has(t.name)) byName.set(t.name, t);
  return byName;
}
