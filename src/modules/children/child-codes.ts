// Code lists for a child's record. Ethnicity, sex and legal status use the SSDA903 codes the
// councils already return to DfE (shared/ssda903/schemas/SSDA903_schema_2024.yml), so an import
// or a return lines up with what staff type here.

export const ethnicityCodes = {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WOTH: 'Any other White background',
  WIRT: 'Traveller of Irish heritage',
  WROM: 'Gypsy/Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other Mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Caribbean',
  BAFR: 'African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
} as const;
export type EthnicityCode = keyof typeof ethnicityCodes;
export const isEthnicityCode = (value: string): value is EthnicityCode =>
  Object.hasOwn(ethnicityCodes, value);

/**
 * Codes counted as "Black or minority ethnic heritage" for the seeds' hard-to-place profile:
 * every heritage except White British. White Irish and other White backgrounds, Gypsy/Roma and
 * Traveller heritage are minority ethnic groups in England's census classification. Refused or
 * not yet obtained is not a heritage and is not counted.
 */
export const minorityEthnicCodes: ReadonlySet<EthnicityCode> = new Set(
  (Object.keys(ethnicityCodes) as EthnicityCode[]).filter(
    (code) => code !== 'WBRI' && code !== 'REFU' && code !== 'NOBT',
  ),
);

export const sexCodes = { '1': 'Male', '2': 'Female' } as const;
export type SexCode = keyof typeof sexCodes;

/** SSDA903 LS legal status codes. */
export const legalStatusCodes = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  V2: 'Accommodated under section 20 (single period)',
  V3: 'Accommodated under an agreed series of short-term breaks (single placements)',
  V4: 'Accommodated under an agreed series of short-term breaks (multiple placements)',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Under child assessment order and in local authority accommodation',
  J1: 'Remanded to local authority accommodation or youth detention accommodation',
  J2: 'Placed in local authority accommodation under PACE',
  J3: 'Sentenced to a youth rehabilitation order with residence requirement',
} as const;
export type LegalStatusCode = keyof typeof legalStatusCodes;
export const isLegalStatusCode = (value: string): value is LegalStatusCode =>
  Object.hasOwn(legalStatusCodes, value);

export const needAreas = [
  'health',
  'development',
  'disability',
  'education',
  'emotional_behavioural',
] as const;
export type NeedArea = (typeof needAreas)[number];
export const needAreaLabels: Record<NeedArea, string> = {
  health: 'Health',
  development: 'Development',
  disability: 'Disability',
  education: 'Education',
  emotional_behavioural: 'Emotional and behavioural',
};

export const earlyPermanenceLabels = {
  not_yet_considered: 'Not yet considered',
  being_considered: 'Being considered',
  suitable: 'Suitable for early permanence',
  not_suitable: 'Not suitable for early permanence',
} as const;

export const siblingPlanLabels = {
  together: 'To be placed together',
  apart: 'To be placed apart',
  to_be_decided: 'Not yet decided',
} as const;
