// Facts about AKS and the Azure regions that the platform's defaults depend on. Plain data: both
// the platform file checks and the Terraform constructs read them.

/** Namespace of the AKS application routing add-on (its managed NGINX controllers run there). */
export const APP_ROUTING_NAMESPACE = 'app-routing-system';

/** IngressClass the AKS application routing add-on creates for its default NGINX controller. */
export const APP_ROUTING_INGRESS_CLASS = 'webapprouting.kubernetes.azure.com';

/**
 * The time zone of each Azure region's datacenter (`az account list-locations`,
 * `metadata.physicalLocation`) as an IANA name, with its standard UTC offset. AKS maintenance
 * windows take a fixed UTC offset, not a zone name, so daylight saving time is not followed: the
 * standard offset keeps a night window at night all year (one hour later on the wall clock in
 * summer where clocks move). A test checks every offset against the IANA database.
 */
export const AZURE_REGION_TIME_ZONES: Readonly<Record<string, { zone: string; utcOffset: string }>> = {
  // Americas
  eastus: { zone: 'America/New_York', utcOffset: '-05:00' },
  eastus2: { zone: 'America/New_York', utcOffset: '-05:00' },
  centralus: { zone: 'America/Chicago', utcOffset: '-06:00' },
  northcentralus: { zone: 'America/Chicago', utcOffset: '-06:00' },
  southcentralus: { zone: 'America/Chicago', utcOffset: '-06:00' },
  westcentralus: { zone: 'America/Denver', utcOffset: '-07:00' },
  westus: { zone: 'America/Los_Angeles', utcOffset: '-08:00' },
  westus2: { zone: 'America/Los_Angeles', utcOffset: '-08:00' },
  westus3: { zone: 'America/Phoenix', utcOffset: '-07:00' },
  canadacentral: { zone: 'America/Toronto', utcOffset: '-05:00' },
  canadaeast: { zone: 'America/Toronto', utcOffset: '-05:00' },
  brazilsouth: { zone: 'America/Sao_Paulo', utcOffset: '-03:00' },
  brazilsoutheast: { zone: 'America/Sao_Paulo', utcOffset: '-03:00' },
  mexicocentral: { zone: 'America/Mexico_City', utcOffset: '-06:00' },
  chilecentral: { zone: 'America/Santiago', utcOffset: '-04:00' },
  usgovvirginia: { zone: 'America/New_York', utcOffset: '-05:00' },
  usgovtexas: { zone: 'America/Chicago', utcOffset: '-06:00' },
  usgovarizona: { zone: 'America/Phoenix', utcOffset: '-07:00' },
  // Europe
  northeurope: { zone: 'Europe/Dublin', utcOffset: '+00:00' },
  westeurope: { zone: 'Europe/Amsterdam', utcOffset: '+01:00' },
  uksouth: { zone: 'Europe/London', utcOffset: '+00:00' },
  ukwest: { zone: 'Europe/London', utcOffset: '+00:00' },
  francecentral: { zone: 'Europe/Paris', utcOffset: '+01:00' },
  francesouth: { zone: 'Europe/Paris', utcOffset: '+01:00' },
  germanywestcentral: { zone: 'Europe/Berlin', utcOffset: '+01:00' },
  germanynorth: { zone: 'Europe/Berlin', utcOffset: '+01:00' },
  switzerlandnorth: { zone: 'Europe/Zurich', utcOffset: '+01:00' },
  switzerlandwest: { zone: 'Europe/Zurich', utcOffset: '+01:00' },
  norwayeast: { zone: 'Europe/Oslo', utcOffset: '+01:00' },
  norwaywest: { zone: 'Europe/Oslo', utcOffset: '+01:00' },
  swedencentral: { zone: 'Europe/Stockholm', utcOffset: '+01:00' },
  swedensouth: { zone: 'Europe/Stockholm', utcOffset: '+01:00' },
  polandcentral: { zone: 'Europe/Warsaw', utcOffset: '+01:00' },
  italynorth: { zone: 'Europe/Rome', utcOffset: '+01:00' },
  spaincentral: { zone: 'Europe/Madrid', utcOffset: '+01:00' },
  austriaeast: { zone: 'Europe/Vienna', utcOffset: '+01:00' },
  belgiumcentral: { zone: 'Europe/Brussels', utcOffset: '+01:00' },
  // Middle East and Africa
  israelcentral: { zone: 'Asia/Jerusalem', utcOffset: '+02:00' },
  qatarcentral: { zone: 'Asia/Qatar', utcOffset: '+03:00' },
  uaenorth: { zone: 'Asia/Dubai', utcOffset: '+04:00' },
  uaecentral: { zone: 'Asia/Dubai', utcOffset: '+04:00' },
  southafricanorth: { zone: 'Africa/Johannesburg', utcOffset: '+02:00' },
  southafricawest: { zone: 'Africa/Johannesburg', utcOffset: '+02:00' },
  // Asia Pacific
  centralindia: { zone: 'Asia/Kolkata', utcOffset: '+05:30' },
  southindia: { zone: 'Asia/Kolkata', utcOffset: '+05:30' },
  westindia: { zone: 'Asia/Kolkata', utcOffset: '+05:30' },
  jioindiawest: { zone: 'Asia/Kolkata', utcOffset: '+05:30' },
  jioindiacentral: { zone: 'Asia/Kolkata', utcOffset: '+05:30' },
  eastasia: { zone: 'Asia/Hong_Kong', utcOffset: '+08:00' },
  southeastasia: { zone: 'Asia/Singapore', utcOffset: '+08:00' },
  malaysiawest: { zone: 'Asia/Kuala_Lumpur', utcOffset: '+08:00' },
  indonesiacentral: { zone: 'Asia/Jakarta', utcOffset: '+07:00' },
  japaneast: { zone: 'Asia/Tokyo', utcOffset: '+09:00' },
  japanwest: { zone: 'Asia/Tokyo', utcOffset: '+09:00' },
  koreacentral: { zone: 'Asia/Seoul', utcOffset: '+09:00' },
  koreasouth: { zone: 'Asia/Seoul', utcOffset: '+09:00' },
  australiaeast: { zone: 'Australia/Sydney', utcOffset: '+10:00' },
  australiasoutheast: { zone: 'Australia/Melbourne', utcOffset: '+10:00' },
  australiacentral: { zone: 'Australia/Sydney', utcOffset: '+10:00' },
  australiacentral2: { zone: 'Australia/Sydney', utcOffset: '+10:00' },
  newzealandnorth: { zone: 'Pacific/Auckland', utcOffset: '+12:00' },
  chinaeast: { zone: 'Asia/Shanghai', utcOffset: '+08:00' },
  chinaeast2: { zone: 'Asia/Shanghai', utcOffset: '+08:00' },
  chinaeast3: { zone: 'Asia/Shanghai', utcOffset: '+08:00' },
  chinanorth: { zone: 'Asia/Shanghai', utcOffset: '+08:00' },
  chinanorth2: { zone: 'Asia/Shanghai', utcOffset: '+08:00' },
  chinanorth3: { zone: 'Asia/Shanghai', utcOffset: '+08:00' },
};

/** The standard UTC offset of a region (`+01:00` for francecentral), or undefined when unknown. */
export function regionUtcOffset(location: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(AZURE_REGION_TIME_ZONES, location)
    ? AZURE_REGION_TIME_ZONES[location].utcOffset
    : undefined;
}

/** A UTC offset as AKS takes it: `+HH:mm` or `-HH:mm`, from -12:00 to +14:00. */
export function isUtcOffset(value: string): boolean {
  const m = /^([+-])(\d{2}):([0-5]\d)$/.exec(value);
  if (!m) return false;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '+' ? minutes <= 14 * 60 : minutes <= 12 * 60;
}

/** A time of day `HH:mm` (00:00 to 23:59). */
export function isTimeOfDay(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}
