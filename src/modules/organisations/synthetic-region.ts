// An invented region of any size, for `kindred seed-synthetic` and bench/children: a hub, one
// RAA, spokes of ten councils each with a family-finding team. It is built as a region file
// would be written and parsed by the same parser, so it passes exactly the rules a real file
// must, and it is loaded through the ordinary loader (idempotent, audited). Every organisation
// is marked as demo data. Council codes, names, DfE and ONS codes and postcode districts are
// made up: DfE LA codes 001–999 (real ones start at 2xx and are never below 200 — our small
// numbers are plainly not theirs), ONS codes E099xxxxx, postcode districts in "Z" areas that do
// not exist (ZE, Shetland's, is skipped).
import { parseRegionFile, type ParsedRegion } from './region-file.js';

export const syntheticRaaCode = 'synthetic-raa';
export const maxSyntheticCouncils = 999;
const councilsPerSpoke = 10;
const districtLetters = 'ABCDFGHIJKLMNOPQRSTUVWXY';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function syntheticCouncilCode(n: number): string {
  return `synthetic-borough-${pad(n, 3)}`;
}

/** The synthetic region with `councils` member councils, parsed and checked like a file. */
export function syntheticRegion(councils: number): ParsedRegion {
  if (!Number.isInteger(councils) || councils < 1 || councils > maxSyntheticCouncils) {
    throw new RangeError(`A synthetic region has 1 to ${maxSyntheticCouncils} councils, not ${councils}.`);
  }
  const spokes = Array.from({ length: Math.ceil(councils / councilsPerSpoke) }, (_, s) => {
    const number = pad(s + 1, 2);
    const first = s * councilsPerSpoke + 1;
    const last = Math.min(councils, first + councilsPerSpoke - 1);
    return {
      code: `synthetic-spoke-${number}`,
      name: `Synthetic spoke ${number}`,
      localAuthorities: Array.from({ length: last - first + 1 }, (_, c) => {
        const n = first + c;
        const i = n - 1;
        return {
          code: syntheticCouncilCode(n),
          name: `Synthetic Borough ${pad(n, 3)}`,
          laCode: pad(n, 3),
          onsCode: `E099${pad(n, 5)}`,
          postcodeDistricts: [`Z${districtLetters[Math.floor(i / 90)]}${10 + (i % 90)}`],
        };
      }),
      teams: [
        {
          code: `synthetic-spoke-${number}-family-finding`,
          name: `Synthetic spoke ${number} family finding team`,
        },
      ],
    };
  });
  const region = {
    region: {
      demo: true,
      hub: { code: 'synthetic-hub', name: 'Synthetic hub (synthetic data)' },
      raa: {
        code: syntheticRaaCode,
        name: 'Synthetic Regional Adoption Agency (synthetic data)',
        hostLaCode: '001',
      },
      spokes,
      partners: [],
    },
  };
  return parseRegionFile(JSON.stringify(region));
}
