// The birth-relative guard (issue 8 §4; domain.md §7: the adoptive family's identity and
// whereabouts must never reach the birth family). Every output type in the registry is tried with
// every protected value of the family, in every field of the view it renders, and in the forms a
// worker's slip might leave them (other case, no spaces, +44, the street without its number, a
// possessive); none may come out. Extra fields handed to the guard are dropped by the whitelist.
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import {
  birthRelativeOutputKinds,
  birthRelativeOutputs,
  BirthRelativeOutputRefused,
  buildBirthRelativeOutput,
  collectProtectedDetails,
  findProtectedValues,
  letterPdf,
  toBirthRelativeView,
  type BirthRelativeOutput,
  type ProtectedDetails,
  type ProtectedField,
} from './birth-relative-output.js';

const family: ProtectedDetails = {
  surnames: ['Quillfeather', 'Abara-Quillfeather', 'Abara'],
  fullNames: ['Robin Quillfeather', 'Alex Abara-Quillfeather'],
  childNewNames: ['Rosa', 'Rosa Quillfeather'],
  addressLines: ['12 Lanternwick Row', 'Marrowfield Close'],
  towns: ['Brindleton'],
  postcodes: ['SE22 9QX'],
  postcodeDistricts: ['SE22'],
  emails: ['robin.q@example.test'],
  phones: ['020 7946 0123'],
  schools: ['Hollyhock Primary School'],
};

/** Each protected field, and ways a worker's slip might write it. */
const leaks: Record<ProtectedField, string[]> = {
  surnames: ['Quillfeather', 'QUILLFEATHER', 'quillfeather’s', 'the Abara family'],
  fullNames: ['Robin Quillfeather'],
  childNewNames: ['Rosa', 'rosa quillfeather'],
  addressLines: ['12 Lanternwick Row', 'Lanternwick Row', 'marrowfield close'],
  towns: ['Brindleton', 'brindleton'],
  postcodes: ['SE22 9QX', 'se229qx', 'SE22  9QX'],
  postcodeDistricts: ['SE22'],
  emails: ['robin.q@example.test', 'ROBIN.Q@EXAMPLE.TEST'],
  phones: ['020 7946 0123', '02079460123', '+44 20 7946 0123', '(020) 7946-0123'],
  schools: ['Hollyhock Primary School', 'hollyhock primary school'],
};

const cleanSource = {
  recipientName: 'Jo Thornbury',
  recipientAddress: ['4 Example Street', 'Lewisham', 'SE13 0ZZ'],
  agencyName: 'Adopt London South (demo)',
  agencyContact: 'letterbox@adopt-london-south.demo.kindred.invalid',
  workerName: 'Grace Adeyemi',
  letterboxReference: 'LB-4KX9PQ',
  childName: 'Maya',
  date: '2026-11-02',
  period: '2026-09-01',
  receivedOn: '2026-09-10',
  nextPeriod: '2027-03-01',
  body: 'Maya has had a lovely summer. She learned to swim and loves drawing horses.',
};

/** The view's string fields a worker or the data could put a protected value into. */
const injectable = ['recipientName', 'workerName', 'childName', 'body'] as const;

const refusedFields = (kind: (typeof birthRelativeOutputKinds)[number], source: Record<string, unknown>) => {
  try {
    buildBirthRelativeOutput(kind, source, family);
    return null;
  } catch (error) {
    if (error instanceof BirthRelativeOutputRefused) return error.fields;
    throw error;
  }
};

describe('the registry of outputs that face a birth relative', () => {
  it('holds every kind of letter and email Kindred sends to birth relatives', () => {
    expect(birthRelativeOutputKinds).toEqual([
      'forwarded-letter',
      'acknowledgement-letter',
      'acknowledgement-email',
      'reminder-letter',
      'reminder-email',
      'held-notice-letter',
    ]);
  });

  describe.each(birthRelativeOutputKinds)('%s', (kind) => {
    it('is produced from clean data, and contains none of the family’s protected values', () => {
      const output = buildBirthRelativeOutput(kind, cleanSource, family);
      expect(output.channel).toBe(birthRelativeOutputs[kind].channel);
      expect(findProtectedValues(output.text, family)).toEqual([]);
      expect(output.text).toContain('Jo Thornbury');
      expect(output.text).toContain('LB-4KX9PQ');
    });

    it.each(Object.entries(leaks).flatMap(([field, forms]) => forms.map((form) => [field, form] as const)))(
      'refuses %s written as "%s" wherever the output shows it',
      (field, form) => {
        let refusedSomewhere = false;
        for (const key of injectable) {
          const source = { ...cleanSource, [key]: `${String(cleanSource[key])} ${form}` };
          const built = (() => {
            try {
              return buildBirthRelativeOutput(kind, source, family);
            } catch (error) {
              if (error instanceof BirthRelativeOutputRefused) return error;
              throw error;
            }
          })();
          if (built instanceof BirthRelativeOutputRefused) {
            expect(built.fields).toContain(field);
            expect(built.message).toMatch(/^Kindred did not produce the /);
            expect(built.message).not.toContain(form);
            refusedSomewhere = true;
          } else {
            // The field is not shown in this output at all: the value cannot be in its text.
            expect(built.text.toLowerCase()).not.toContain(form.toLowerCase().trim());
          }
        }
        expect(refusedSomewhere).toBe(true);
      },
    );

    it('drops anything not in the whitelisted view, so extra details passed in never reach the text', () => {
      const output = buildBirthRelativeOutput(
        kind,
        {
          ...cleanSource,
          surname: 'Quillfeather',
          address: '12 Lanternwick Row',
          postcode: 'SE22 9QX',
          familyName: 'Robin and Alex Quillfeather',
          applicants: ['Robin Quillfeather'],
        },
        family,
      );
      expect(Object.keys(output.view).sort()).toEqual(Object.keys(toBirthRelativeView(cleanSource)).sort());
      expect(findProtectedValues(output.text, family)).toEqual([]);
    });

    if (birthRelativeOutputs[kind].channel === 'letter') {
      it('makes a PDF of exactly the checked text, with nothing identifying in it', async () => {
        const output = buildBirthRelativeOutput(kind, cleanSource, family);
        const pdf = await letterPdf(output);
        const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
        expect(text).toContain('Dear Jo Thornbury');
        expect(findProtectedValues(text, family)).toEqual([]);
        expect(pdf.toString('latin1')).not.toMatch(/Quillfeather|Brindleton|SE22/i);
      });
    }
  });
});

describe('the scan', () => {
  it('lets the recipient’s own address share the family’s town and district', () => {
    const source = { ...cleanSource, recipientAddress: ['7 Other Lane', 'Brindleton', 'SE22 1AB'] };
    expect(refusedFields('reminder-letter', source)).toBeNull();
    expect(refusedFields('reminder-letter', { ...source, body: 'We live in Brindleton now' })).toBeNull();
    expect(refusedFields('forwarded-letter', { ...source, body: 'We live in Brindleton now' })).toEqual([
      'towns',
    ]);
  });

  it('still refuses the family’s own street or postcode in the recipient’s address (a data-entry slip)', () => {
    expect(
      refusedFields('reminder-letter', {
        ...cleanSource,
        recipientAddress: ['12 Lanternwick Row', 'SE22 9QX'],
      }),
    ).toEqual(expect.arrayContaining(['addressLines', 'postcodes']));
  });

  it('sets aside the RAA’s own name and contact details, even if they share a word with the family’s town', () => {
    const details = { ...family, towns: ['London'] };
    const source = { ...cleanSource, agencyName: 'Adopt London South (demo)' };
    expect(() => buildBirthRelativeOutput('acknowledgement-letter', source, details)).not.toThrow();
    expect(() =>
      buildBirthRelativeOutput('forwarded-letter', { ...source, body: 'A day out in London' }, details),
    ).toThrow(BirthRelativeOutputRefused);
  });

  it('does not mistake a longer district or number for the family’s', () => {
    expect(findProtectedValues('SE225 and SE2 and 0207946012', { ...family, postcodes: [] })).toEqual([]);
  });

  it('names the kinds of detail found, never the values', () => {
    const error = (() => {
      try {
        buildBirthRelativeOutput(
          'forwarded-letter',
          { ...cleanSource, body: 'Love from the Quillfeathers at SE22 9QX' },
          family,
        );
      } catch (caught) {
        return caught as BirthRelativeOutputRefused;
      }
      throw new Error('not refused');
    })();
    expect(error.status).toBe(409);
    expect(error.message).toContain('the adoptive family’s postcode');
    expect(error.message).not.toMatch(/Quillfeather|SE22 9QX/);
  });

  it('will not make a PDF of anything the guard did not produce', async () => {
    const forged = {
      kind: 'forwarded-letter',
      channel: 'letter',
      subject: 'x',
      text: 'Quillfeather, SE22 9QX',
      view: toBirthRelativeView(cleanSource),
    };
    expect(() => letterPdf(forged as BirthRelativeOutput)).toThrow(
      /Only an output built by buildBirthRelativeOutput/,
    );
  });
});

describe('gathering the family’s protected values', () => {
  const sources = {
    family_name: 'Robin and Alex Quillfeather',
    family_surnames: ['Abara-Quillfeather'],
    address_line_1: null,
    address_line_2: null,
    town: null,
    postcode: null,
    postcode_district: null,
    email: null,
    phone: null,
    school: 'Hollyhock Primary School',
    h_address_line_1: '12 Lanternwick Row',
    h_address_line_2: null,
    h_town: 'Brindleton',
    h_postcode: 'SE22 9QX',
    h_postcode_district: 'SE22',
    e_email: 'robin.q@example.test',
    e_phone: '02079460123',
    e_name: 'Robin Quillfeather',
    applicants: [{ first_name: 'Robin', last_name: 'Quillfeather' }],
    children: [
      {
        first_name: 'Rosa',
        last_name: 'Quillfeather',
        birth_first_name: 'Maya',
        birth_last_name: 'Thornbury',
      },
      { first_name: 'Sam', last_name: 'Quillfeather', birth_first_name: 'Sam', birth_last_name: 'Thornbury' },
    ],
  };

  it('takes the household’s address and applicants, the enquiry’s contact details and the case’s own', () => {
    const details = collectProtectedDetails(sources);
    expect(details.surnames).toEqual(expect.arrayContaining(['Abara-Quillfeather', 'Abara', 'Quillfeather']));
    expect(details.fullNames).toEqual(
      expect.arrayContaining(['Robin Quillfeather', 'Robin and Alex Quillfeather']),
    );
    expect(details.addressLines).toEqual(['12 Lanternwick Row']);
    expect(details.towns).toEqual(['Brindleton']);
    expect(details.postcodes).toEqual(['SE22 9QX']);
    expect(details.postcodeDistricts).toEqual(['SE22']);
    expect(details.emails).toEqual(['robin.q@example.test']);
    expect(details.phones).toEqual(['02079460123']);
    expect(details.schools).toEqual(['Hollyhock Primary School']);
  });

  it('protects a child’s new first name, but not a first name the birth family already knows', () => {
    const details = collectProtectedDetails(sources);
    expect(details.childNewNames).toContain('Rosa');
    expect(details.childNewNames).not.toContain('Sam');
    expect(details.childNewNames).toContain('Sam Quillfeather');
  });
});
