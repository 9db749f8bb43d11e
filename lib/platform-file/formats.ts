/**
 * Small, named validators for the formats the platform file uses. Each returns a boolean or a
 * parsed value; the schema turns a `false` into a message that names the path and the value.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** RFC 1123 label: lowercase alphanumerics and '-', at most 63 characters (namespace names). */
export function isDnsLabel(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && DNS_LABEL.test(value);
}

/** RFC 1035 label: like a DNS label but starting with a letter (Service names). */
export function isDns1035Label(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && DNS_1035_LABEL.test(value);
}

/** RFC 1123 subdomain: dot-separated DNS labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Parses a non-negative Kubernetes quantity ("500m", "16Gi", "1e3") to its value in base units.
 * @returns undefined when the string is not a quantity
 */
export function parseQuantity(value: string): number | undefined {
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const number = Number(m[1]);
  const suffix = m[3] ?? '';
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * SUFFIX[suffix];
}

/** An IPv4 network in CIDR notation whose host bits are zero, e.g. 203.0.113.0/24. */
export function checkIpv4Cidr(value: string): 'ok' | 'syntax' | 'host-bits' {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return 'syntax';
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return 'syntax';
  if (m.slice(1, 5).some((o) => o.length > 1 && o.startsWith('0'))) return 'syntax';
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostSize = 2 ** (32 - prefix);
  return address % hostSize === 0 ? 'ok' : 'host-bits';
}

/** A Kubernetes label (or annotation) key: an optional DNS-subdomain prefix and a name. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** A Kubernetes label value: empty, or at most 63 alphanumerics, '-', '_', '.'. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** The parts of a container image reference. */
export interface ImageReference {
  /** Registry and path, e.g. `ghcr.io/example/api`. */
  readonly repository: string;
  /** The tag. @default - none in the reference */
  readonly tag?: string;
  /** The digest, e.g. `sha256:...`. @default - none in the reference */
  readonly digest?: string;
}

export function parseImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repository = tag !== undefined ? rest.slice(0, colon) : rest;
  return { repository, tag, digest };
}

/**
 * Why an image reference is not pinned, or undefined when it is (a tag other than `latest`,
 * or a sha256 digest).
 */
export function imageNotPinnedReason(image: string): string | undefined {
  if (image.trim() !== image || image === '' || /\s/.test(image)) return 'is not an image reference';
  const { repository, tag, digest } = parseImage(image);
  if (repository === '') return 'is not an image reference';
  if (digest !== undefined) {
    return /^sha256:[0-9a-f]{64}$/.test(digest)
      ? undefined
      : 'has a digest that is not sha256:<64 hex digits>';
  }
  if (tag === undefined || tag === '') return 'has no tag: pin a version tag (not latest) or a sha256 digest';
  if (tag === 'latest') return 'uses the mutable tag "latest": pin a version tag or a sha256 digest';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return 'has a tag that is not valid';
  return undefined;
}

/**
 * The name AKS gives a node pool while it rotates it (`temporary_name_for_rotation`): at most 12
 * lowercase letters and digits, so two pools whose names share their first 9 characters collide.
 */
export function rotationPoolName(poolName: string): string {
  return `${poolName.slice(0, 9)}tmp`;
}

/** An IPv4 address of the private ranges (RFC 1918): 10/8, 172.16/12, 192.168/16. */
export function isPrivateIpv4(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  if (!m) return false;
  const [a, b, c, d] = m.slice(1).map(Number);
  if ([a, b, c, d].some((n) => n > 255) || m.slice(1).some((o) => o.length > 1 && o.startsWith('0')))
    return false;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** An Azure storage account name: 3 to 24 lowercase letters and digits. */
export function isStorageAccountName(value: string): boolean {
  return /^[a-z0-9]{3,24}$/.test(value);
}

/** A blob container name: 3 to 63 lowercase letters, digits and single '-', alphanumeric at both ends. */
export function isStorageContainerName(value: string): boolean {
  return /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(value);
}

/** A prefix of the blob names of the Terraform state (`platform/` → `platform/infra.tfstate`). */
export function isStateKeyPrefix(value: string): boolean {
  return value.length <= 200 && /^([A-Za-z0-9._-][A-Za-z0-9._/-]*)?$/.test(value) && !value.includes('//');
}
