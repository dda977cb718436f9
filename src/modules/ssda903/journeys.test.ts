import { describe, expect, it } from 'vitest';
import { aReturn } from '../../../tests/support/ssda903-returns.js';
import { journeysFromReturn, mergeReturns } from './journeys.js';

// Each case is a child a council's social worker would recognise, written as the case system
// would return it (dd/mm/yyyy, one episode row per change of placement, carer or legal status).

describe('journeysFromReturn', () => {
  it('reads a placement-order adoption by new adopters: care → decision → order → match → placed → adopted', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Header: [{ CHILD: 'C1', SEX: '1', DOB: '14/02/2019', ETHNIC: 'WBRI' }],
        Episodes: [
          // Accommodated, then a care order, then the placement order, then moved to adopters (PR2: another council's RAA).
          { CHILD: 'C1', DECOM: '01/04/2020', RNE: 'S', LS: 'C1', PLACE: 'U4', DEC: '15/10/2020', REC: 'X1' },
          { CHILD: 'C1', DECOM: '15/10/2020', RNE: 'L', LS: 'E1', PLACE: 'U4', DEC: '01/06/2021', REC: 'X1' },
          {
            CHILD: 'C1',
            DECOM: '01/06/2021',
            RNE: 'P',
            LS: 'E1',
            PLACE: 'A6',
            PLACE_PROVIDER: 'PR2',
            DEC: '10/03/2022',
            REC: 'E11',
          },
        ],
        AD1: [
          {
            CHILD: 'C1',
            DOB: '14/02/2019',
            DATE_INT: '01/09/2020',
            DATE_MATCH: '10/05/2021',
            FOSTER_CARE: '0',
            NB_ADOPTR: '2',
          },
        ],
        PlacedAdoption: [{ CHILD: 'C1', DOB: '14/02/2019', DATE_PLACED: '01/09/2020' }],
      }),
    );
    expect(journey).toMatchObject({
      childId: 'C1',
      dateOfBirth: '2019-02-14',
      sex: '1',
      ethnicity: 'WBRI',
      enteredCare: '2020-04-01',
      shouldBePlaced: '2020-09-01',
      shouldBePlacedDecisions: [
        { date: '2020-09-01', ceasedDate: null, ceasedReason: null, source: 'PlacedAdoption' },
      ],
      placementOrder: '2020-10-15',
      matchDecision: '2021-05-10',
      placedForAdoption: '2021-06-01',
      adoptionPlacementCode: 'A6',
      placementProvider: 'PR2',
      movedInWithAdoptiveCarers: '2021-06-01',
      adoptionOrder: '2022-03-10',
      adoptedByFosterCarers: false,
      numberOfAdopters: 2,
      earlyPermanencePlacement: null,
      planChangedAwayFromAdoption: null,
    });
    expect(journey?.episodes).toHaveLength(3);
  });

  it('stops the A10 clock when a fostering-for-adoption baby moved in with the carers who adopted her', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Header: [{ CHILD: 'FFA', SEX: '2', DOB: '01/01/2021', ETHNIC: 'MWBA' }],
        Episodes: [
          {
            CHILD: 'FFA',
            DECOM: '03/01/2021',
            RNE: 'S',
            LS: 'C1',
            PLACE: 'U5',
            DEC: '01/05/2021',
            REC: 'X1',
          },
          {
            CHILD: 'FFA',
            DECOM: '01/05/2021',
            RNE: 'L',
            LS: 'E1',
            PLACE: 'U5',
            DEC: '01/08/2021',
            REC: 'X1',
          },
          // Same carers, now as adopters: RNE T, PLACE A5 (placement order, with current foster carer).
          {
            CHILD: 'FFA',
            DECOM: '01/08/2021',
            RNE: 'T',
            LS: 'E1',
            PLACE: 'A5',
            PLACE_PROVIDER: 'PR1',
            DEC: '01/02/2022',
            REC: 'E12',
          },
        ],
        AD1: [{ CHILD: 'FFA', DATE_INT: '01/03/2021', DATE_MATCH: '20/07/2021', FOSTER_CARE: '1' }],
      }),
    );
    expect(journey).toMatchObject({
      enteredCare: '2021-01-03',
      earlyPermanencePlacement: '2021-01-03',
      placementOrder: '2021-05-01',
      placedForAdoption: '2021-08-01',
      movedInWithAdoptiveCarers: '2021-01-03',
      adoptedByFosterCarers: true,
      adoptionOrder: '2022-02-01',
      // Only AD1 was sent: its DATE_INT is kept as the decision.
      shouldBePlacedDecisions: [{ date: '2021-03-01', source: 'AD1' }],
    });
  });

  it('traces foster carers who adopt back to the change of carer (RNE P), not to entering care', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Episodes: [
          { CHILD: 'K', DECOM: '01/01/2019', RNE: 'S', LS: 'C2', PLACE: 'U4', DEC: '01/06/2019', REC: 'X1' },
          { CHILD: 'K', DECOM: '01/06/2019', RNE: 'P', LS: 'C2', PLACE: 'U4', DEC: '01/01/2020', REC: 'X1' },
          { CHILD: 'K', DECOM: '01/01/2020', RNE: 'L', LS: 'E1', PLACE: 'U4', DEC: '01/09/2020', REC: 'X1' },
          { CHILD: 'K', DECOM: '01/09/2020', RNE: 'U', LS: 'E1', PLACE: 'A5', DEC: '01/12/2020', REC: 'E11' },
        ],
        AD1: [{ CHILD: 'K', DATE_INT: '01/10/2019', DATE_MATCH: '01/08/2020', FOSTER_CARE: '1' }],
      }),
    );
    expect(journey?.placedForAdoption).toBe('2020-09-01');
    expect(journey?.movedInWithAdoptiveCarers).toBe('2019-06-01');
  });

  it('does not trace across a gap between episodes (the child was away from those carers)', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Episodes: [
          { CHILD: 'G', DECOM: '01/01/2019', RNE: 'S', LS: 'E1', PLACE: 'U4', DEC: '01/03/2019', REC: 'X1' },
          { CHILD: 'G', DECOM: '05/03/2019', RNE: 'T', LS: 'E1', PLACE: 'A5', DEC: '01/12/2019', REC: 'E11' },
        ],
        AD1: [{ CHILD: 'G', FOSTER_CARE: '1' }],
      }),
    );
    expect(journey?.movedInWithAdoptiveCarers).toBe('2019-03-05');
  });

  it('uses the A3/A5 placement code when AD1 leaves FOSTER_CARE blank', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Episodes: [
          { CHILD: 'B', DECOM: '01/01/2019', RNE: 'S', LS: 'V2', PLACE: 'U4', DEC: '01/03/2019', REC: 'X1' },
          { CHILD: 'B', DECOM: '01/03/2019', RNE: 'T', LS: 'V2', PLACE: 'A3', DEC: '01/12/2019', REC: 'E11' },
        ],
      }),
    );
    expect(journey?.adoptedByFosterCarers).toBe(true);
    expect(journey?.movedInWithAdoptiveCarers).toBe('2019-01-01');
    expect(journey?.placementOrder).toBeNull();
  });

  it('takes the latest period of care when a child went home and came back into care', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Episodes: [
          { CHILD: 'R', DECOM: '01/02/2016', RNE: 'S', LS: 'E1', PLACE: 'U4', DEC: '01/05/2016', REC: 'E13' },
          { CHILD: 'R', DECOM: '10/10/2018', RNE: 'S', LS: 'C2', PLACE: 'U4', DEC: '', REC: '' },
        ],
      }),
    );
    expect(journey?.enteredCare).toBe('2018-10-10');
    // The earlier placement order belonged to the earlier period.
    expect(journey?.placementOrder).toBeNull();
    expect(journey?.episodes).toHaveLength(1);
    expect(journey?.allEpisodes).toHaveLength(2);
  });

  it('records a decision reversed because adopters could not be found (RD3)', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Header: [{ CHILD: 'W', SEX: '1', DOB: '01/01/2015', ETHNIC: 'BAFR' }],
        Episodes: [{ CHILD: 'W', DECOM: '01/01/2020', RNE: 'S', LS: 'E1', PLACE: 'U4' }],
        PlacedAdoption: [
          {
            CHILD: 'W',
            DATE_PLACED: '01/06/2020',
            DATE_PLACED_CEASED: '01/06/2022',
            REASON_PLACED_CEASED: 'RD3',
          },
        ],
      }),
    );
    expect(journey?.planChangedAwayFromAdoption).toEqual({ date: '2022-06-01', reason: 'RD3' });
    expect(journey?.shouldBePlaced).toBe('2020-06-01');
    expect(journey?.adoptionOrder).toBeNull();
  });

  it('leaves entering care unknown when the period began before the files supplied', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Episodes: [
          { CHILD: 'O', DECOM: '01/04/2023', RNE: 'P', LS: 'E1', PLACE: 'A6', DEC: '01/09/2023', REC: 'E11' },
        ],
      }),
    );
    expect(journey?.enteredCare).toBeNull();
    expect(journey?.placedForAdoption).toBe('2023-04-01');
    expect(journey?.adoptionOrder).toBe('2023-09-01');
  });

  it('orders episodes by start date whatever the file order, and ignores unreadable dates', () => {
    const [journey] = journeysFromReturn(
      aReturn({
        Episodes: [
          { CHILD: 'X', DECOM: '01/06/2021', RNE: 'P', LS: 'E1', PLACE: 'A6', DEC: '31/02/2022', REC: 'E11' },
          { CHILD: 'X', DECOM: '01/01/2021', RNE: 'S', LS: 'E1', PLACE: 'U4', DEC: '01/06/2021', REC: 'X1' },
        ],
      }),
    );
    expect(journey?.enteredCare).toBe('2021-01-01');
    expect(journey?.adoptionOrder).toBeNull();
  });
});

describe('mergeReturns', () => {
  it('sees a journey across two years: the later return closes the episode the earlier one left open', () => {
    const year1 = aReturn({
      Header: [{ CHILD: 'M', SEX: '2', DOB: '01/01/2020', ETHNIC: 'WBRI' }],
      Episodes: [
        { CHILD: 'M', DECOM: '01/05/2020', RNE: 'S', LS: 'C1', PLACE: 'U4', DEC: '01/12/2020', REC: 'X1' },
        { CHILD: 'M', DECOM: '01/12/2020', RNE: 'L', LS: 'E1', PLACE: 'U4' },
      ],
      PlacedAdoption: [{ CHILD: 'M', DATE_PLACED: '01/10/2020' }],
    });
    const year2 = aReturn({
      Header: [{ CHILD: 'M', SEX: '2', DOB: '01/01/2020', ETHNIC: 'WBRI' }],
      Episodes: [
        { CHILD: 'M', DECOM: '01/12/2020', RNE: 'L', LS: 'E1', PLACE: 'U4', DEC: '01/07/2021', REC: 'X1' },
        { CHILD: 'M', DECOM: '01/07/2021', RNE: 'P', LS: 'E1', PLACE: 'A6', DEC: '01/02/2022', REC: 'E11' },
      ],
      AD1: [{ CHILD: 'M', DATE_INT: '01/10/2020', DATE_MATCH: '01/06/2021', FOSTER_CARE: '0' }],
      PlacedAdoption: [{ CHILD: 'M', DATE_PLACED: '01/10/2020' }],
    });
    const [journey, ...others] = journeysFromReturn(mergeReturns([year1, year2]));
    expect(others).toHaveLength(0);
    expect(journey).toMatchObject({
      enteredCare: '2020-05-01',
      placementOrder: '2020-12-01',
      placedForAdoption: '2021-07-01',
      adoptionOrder: '2022-02-01',
      shouldBePlacedDecisions: [{ date: '2020-10-01' }],
    });
    expect(journey?.episodes).toHaveLength(3);
  });
});
